package dev.farad.bench.load;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * NATS core pub/sub through jnats, its official Java client, with default {@link Options}
 * (the client's own writer thread batches outgoing messages). One connection per publisher or
 * subscriber; each subscriber receives on a {@link Dispatcher} (one thread). jnats keeps a
 * reference to the published array until its writer sends it, so each publish copies the payload.
 */
public final class NatsDriver implements Driver {
    private final String uri;
    private final List<Connection> connections = new ArrayList<>();

    public NatsDriver(String uri) {
        this.uri = uri;
    }

    @Override
    public String system() {
        return "nats";
    }

    private synchronized Connection connect() {
        try {
            Connection c = Nats.connect(new Options.Builder().server(uri).connectionName("farad-bench")
                    .maxReconnects(0).build());
            connections.add(c);
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String subject(String topic) {
        return topic.replace('/', '.');
    }

    @Override
    public Publisher publisher(String topic) {
        Connection c = connect();
        String subject = subject(topic);
        return new Publisher() {
            @Override
            public void publish(byte[] payload) {
                c.publish(subject, payload.clone());
            }

            @Override
            public void close() {
                closeQuietly(c);
            }
        };
    }

    @Override
    public Subscriber subscribe(String topic, String filter, Sink sink) {
        if (filter != null) {
            throw new UnsupportedOperationException("nats has no content filters");
        }
        Connection c = connect();
        Dispatcher d = c.createDispatcher(m -> sink.onMessage(m.getData()));
        d.subscribe(subject(topic));
        try {
            c.flush(Duration.ofSeconds(10)); // the server has the subscription once the PONG is back
        } catch (TimeoutException e) {
            throw new IllegalStateException("nats subscribe not confirmed in 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return () -> closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        for (Connection c : connections) {
            closeQuietly(c);
        }
        connections.clear();
    }
}
