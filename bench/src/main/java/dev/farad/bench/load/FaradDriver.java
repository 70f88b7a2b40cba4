package dev.farad.bench.load;

import dev.farad.client.Client;
import dev.farad.client.FailedWriteHandler;
import dev.farad.client.PublishStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Farad through its own client, default settings: one {@link Client} per publisher or subscriber
 * connection, no publish store (fire-and-forget publishes, as for the peers), message handlers
 * rather than streams. The persisted scenario alone opens a client with a publish store ({@link
 * #client(String, PublishStore, FailedWriteHandler)}).
 */
public final class FaradDriver implements Driver {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String uri;
    private final List<Client> clients = new ArrayList<>();

    public FaradDriver(String uri) {
        this.uri = uri;
    }

    @Override
    public String system() {
        return "farad";
    }

    @Override
    public boolean supportsFilters() {
        return true;
    }

    /** A logged-on client the driver closes at the end. */
    public Client client(String role) {
        return client(role, null, null);
    }

    /**
     * A logged-on client that keeps its publishes in {@code store} until they are persisted; the
     * driver closes it at the end. Its name is new, so the broker holds no sequence for it and the
     * logon discards nothing.
     *
     * @param store the publish store, or {@code null} for none
     * @param failedWrites receives failure acks of stored publishes (on the client's dispatch
     *     thread), or {@code null}
     * @throws dev.farad.client.exceptions.FaradException if the connection or the logon fails
     */
    public synchronized Client client(String role, PublishStore store, FailedWriteHandler failedWrites) {
        Client c = new Client("bench-" + role + "-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet());
        c.setDefaultTimeout(TIMEOUT);
        c.setPublishStore(store);
        c.setFailedWriteHandler(failedWrites);
        c.connect(uri);
        c.logon(TIMEOUT);
        clients.add(c);
        return c;
    }

    @Override
    public Publisher publisher(String topic) {
        return publisher(client("pub"), topic);
    }

    /** A {@link Publisher} on {@code c}; closing it closes {@code c}. */
    public static Publisher publisher(Client c, String topic) {
        return new Publisher() {
            @Override
            public void publish(byte[] payload) {
                c.publish(topic, payload); // encoded before it returns: the array may be reused
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    @Override
    public Subscriber subscribe(String topic, String filter, Sink sink) {
        return subscribeMany(topic, new String[] {filter}, sink);
    }

    @Override
    public Subscriber subscribeMany(String topic, String[] filters, Sink sink) {
        Client c = client("sub");
        for (String f : filters) {
            c.subscribe(m -> sink.onMessage(m.data()), topic, f, TIMEOUT);
        }
        return c::close;
    }

    @Override
    public synchronized void close() {
        for (Client c : clients) {
            c.close();
        }
        clients.clear();
    }
}
