package dev.farad.it;

import dev.farad.client.DefaultServerChooser;
import dev.farad.client.HAClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A publishing process for {@link PublisherKillIT}: an {@link HAClient} with a file publish store
 * that publishes {@code m<from>..m<to>} to {@code orders}, printing {@code STORED <i>} once publish
 * {@code i} has returned (so it is in the store), then flushes and prints {@code DONE}.
 *
 * <p>Arguments: broker URI, publish store path, bookmark store path, from, to.
 */
public final class PublisherMain {
    static final String STORED = "STORED ";
    static final String DONE = "DONE";

    private PublisherMain() {}

    public static void main(String[] args) {
        HAClient client = HAClient.fileBacked("killed-publisher", Path.of(args[1]), Path.of(args[2]));
        client.setServerChooser(new DefaultServerChooser(args[0]));
        client.setReconnectDelay(Duration.ofMillis(50));
        client.connectAndLogon();
        int from = Integer.parseInt(args[3]);
        int to = Integer.parseInt(args[4]);
        for (int i = from; i <= to; i++) {
            client.publish("orders", "m" + i);
            if (i % 100 == 0) {
                System.out.println(STORED + i);
            }
        }
        client.publishFlush(Duration.ofSeconds(60));
        System.out.println(DONE);
        client.close();
    }
}
