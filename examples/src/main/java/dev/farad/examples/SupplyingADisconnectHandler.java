package dev.farad.examples;

import dev.farad.client.Client;
import dev.farad.client.Message;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Example 5.3: a disconnect handler that waits a little and reconnects to the same broker. If
 * reconnecting throws, the client passes the exception to the exception listener; if the client is
 * still disconnected when the handler returns, waiting callers get a {@code
 * DisconnectedException}.
 */
public final class SupplyingADisconnectHandler implements AutoCloseable {
    /** How the handler waits before reconnecting (a sleep; tests wait on a latch instead). */
    interface Pause {
        void await() throws InterruptedException;
    }

    private final String uri;
    private final Pause pause;
    final Client client;

    SupplyingADisconnectHandler(String uri, Pause pause) {
        this.uri = uri;
        this.pause = pause;
        this.client = new Client("example-5-3");
        // Called by the client whenever it loses its connection.
        client.setDisconnectHandler(this::attemptReconnection);
        client.connect(uri);
        client.logon();
    }

    /** Display order data to the user. */
    void showMessage(Message m) {
        System.out.println(m.dataAsString());
    }

    // Simple: wait, then reconnect and log on. Exceptions thrown here go to the exception listener.
    void attemptReconnection(Client c) throws InterruptedException {
        pause.await();
        c.connect(uri);
        c.logon();
    }

    @Override
    public void close() {
        client.close();
    }

    public static void main(String[] args) {
        try (SupplyingADisconnectHandler app = new SupplyingADisconnectHandler(Examples.uri(args),
                () -> Thread.sleep(5000))) {
            app.client.subscribe(app::showMessage, "orders", null, Duration.ofSeconds(5));
            System.out.println("Subscribed to orders; press Ctrl-C to stop");
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
