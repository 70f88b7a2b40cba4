package dev.farad.cli;

import dev.farad.client.Client;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code farad ping}: connects, logs on and measures one round trip to the broker. */
@Command(name = "ping", mixinStandardHelpOptions = true, description = "Check that a broker answers.")
final class PingCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (Client client = connection.connect("ping")) {
            long start = System.nanoTime();
            client.flush(connection.timeout);
            long micros = (System.nanoTime() - start) / 1000;
            spec.commandLine().getOut().printf("pong from %s in %d.%03d ms (%s)%n", connection.uri, micros / 1000,
                    micros % 1000, client.serverVersion());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
