package dev.farad.examples;

import dev.farad.client.Client;
import dev.farad.client.Message;
import dev.farad.client.MessageHandler;
import dev.farad.client.exceptions.FaradException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Example 5.4: simple failover. The disconnect handler walks a list of broker URIs until one
 * accepts the connection, logon and subscription. After a reconnect it is the application's job to
 * re-enter its subscriptions, which also lets it leave out one that caused the trouble.
 */
public final class SimpleClientFailover implements AutoCloseable {
    private final String[] uris;
    private final MessageHandler onMessage;
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private int currentUri;
    final Client client;

    SimpleClientFailover(MessageHandler onMessage, String... uris) {
        // The application chooses from a list of URIs instead of a single one.
        this.uris = uris;
        this.onMessage = onMessage;
        this.client = new Client("example-5-4");
        client.setDisconnectHandler(this::connectToNextUri);

        // The client is not connected yet: call the disconnect handler to make the first connection.
        connectToNextUri(client);
    }

    // Loops over the URIs until one works. This one never gives up; a real one would stop at some point.
    void connectToNextUri(Client c) {
        while (true) {
            try {
                c.connect(uris[currentUri]);
                c.logon();

                // Subscriptions are not carried over to the new server: enter them again.
                c.subscribe(onMessage, "orders", null, Duration.ofSeconds(5));
                return;
            } catch (FaradException e) {
                currentUri = (currentUri + 1) % uris.length;
                String failure = "failed: " + e.getMessage() + ".  Failing over to " + uris[currentUri];
                failures.add(failure);
                System.out.println(failure);
            }
        }
    }

    /** The failures seen while failing over, oldest first. */
    List<String> failures() {
        return failures;
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] args) {
        String[] uris = args.length > 0 ? args : new String[] {Examples.DEFAULT_URI,
                "tcp://127.0.0.1:9008/amps/json"};
        try (SimpleClientFailover app = new SimpleClientFailover(
                (Message m) -> System.out.println(m.dataAsString()), uris)) {
            System.out.println("Connected to " + app.client.uri() + "; press Ctrl-C to stop");
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
