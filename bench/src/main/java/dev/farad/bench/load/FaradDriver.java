package dev.farad.bench.load;

import dev.farad.client.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Farad through its own client, default settings: one {@link Client} per publisher or subscriber
 * connection, no publish store (fire-and-forget publishes, as for the peers), message handlers
 * rather than streams.
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
    public synchronized Client client(String role) {
        Client c = new Client("bench-" + role + "-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet());
        c.setDefaultTimeout(TIMEOUT);
        c.connect(uri);
        c.logon(TIMEOUT);
        clients.add(c);
        return c;
    }

    @Override
    public Publisher publisher(String topic) {
        Client c = client("pub");
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
