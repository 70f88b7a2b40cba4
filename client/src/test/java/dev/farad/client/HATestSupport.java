package dev.farad.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared by the HA client tests: tracked clients and helpers. Not thread-safe; one per test. */
final class HATestSupport implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    final List<Throwable> absorbed = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** An HA client on {@code uris} that retries every 20 ms and logs on with a 2 s timeout. */
    HAClient ha(String name, String... uris) {
        HAClient c = new HAClient(name);
        return configure(c, uris);
    }

    HAClient configure(HAClient c, String... uris) {
        c.setExceptionListener(absorbed::add);
        c.setServerChooser(new DefaultServerChooser(uris));
        c.setReconnectDelay(Duration.ofMillis(20));
        c.setLogonTimeout(Duration.ofSeconds(2));
        closeables.add(c);
        return c;
    }

    Client client(String name, String uri) {
        Client c = new Client(name);
        c.setExceptionListener(absorbed::add);
        closeables.add(c);
        c.connect(uri);
        c.logon(WAIT);
        return c;
    }

    <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
