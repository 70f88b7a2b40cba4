package dev.farad.testsupport;

import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.EngineThread;
import dev.farad.server.TxLogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real broker in-process on {@code 127.0.0.1} and an ephemeral port, with a fresh data
 * directory.
 *
 * <pre>{@code
 * @RegisterExtension
 * static BrokerExtension broker = new BrokerExtension();
 * ... Client.connect(broker.uri()) ...
 * }</pre>
 *
 * <p>Registered on a static field, one broker serves the whole class; on an instance field, each
 * test gets its own. At teardown it fails the test if client connections are still open, if
 * threads named {@code farad-*} that started with the broker outlive it, or if Netty reported a
 * leaked buffer. {@link #restart()} keeps the port and the data directory.
 *
 * <p>Not thread-safe: call from the test thread.
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private static final Duration LEAK_WAIT = Duration.ofSeconds(5);

    /** Brokers started by any BrokerExtension and not yet stopped. */
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private final UnaryOperator<BrokerConfig.Builder> customizer;
    private Broker broker;
    private Path dataDirectory;
    private int port;
    private boolean perClass;
    private String[] loggedTopics;
    private Set<Thread> threadsBefore;
    private int leaksBefore;

    /** A broker with the default configuration. */
    public BrokerExtension() {
        this(UnaryOperator.identity());
    }

    /** A broker whose configuration {@code customizer} adjusts (bind address and port are set after it). */
    public BrokerExtension(UnaryOperator<BrokerConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    /**
     * Turns on the transaction log in the data directory for {@code topics} (names or full-match
     * regular expressions); it survives {@link #restart()}. Call before the extension starts.
     */
    public BrokerExtension withTxLog(String... topics) {
        this.loggedTopics = topics.clone();
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClass = true;
        start(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAndCheck();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            start(0);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stopAndCheck();
        } else if (broker != null) {
            awaitNoConnections();
        }
    }

    private void start(int wantedPort) throws IOException {
        if (dataDirectory == null) {
            LeakRecorder.install();
            dataDirectory = Files.createTempDirectory("farad-test-");
            threadsBefore = faradThreads();
            leaksBefore = LeakRecorder.count();
        }
        // -Dfarad.test.engineThread=other runs every test with the engine where this machine's
        // default does not put it.
        BrokerConfig.Builder b = BrokerConfig.builder();
        if ("other".equals(System.getProperty("farad.test.engineThread"))) {
            b.engineThread(BrokerConfig.defaults().engineOnIoThread() ? EngineThread.OWN : EngineThread.IO_THREAD);
        }
        b = customizer.apply(b);
        if (loggedTopics != null) {
            b.txLog(TxLogConfig.of(dataDirectory, loggedTopics));
        }
        broker = Broker.start(b.bindAddress("127.0.0.1").port(wantedPort).build());
        RUNNING.incrementAndGet();
        port = broker.port();
    }

    private void stopAndCheck() {
        if (broker == null) {
            deleteDataDirectory(); // a test that stopped the broker itself still leaves no directory behind
            return;
        }
        try {
            awaitNoConnections();
        } finally {
            broker.close();
            RUNNING.decrementAndGet();
            broker = null;
            deleteDataDirectory();
        }
        // Another extension's broker may have started threads since our snapshot: only the last
        // broker standing can tell its own leftovers from theirs.
        if (RUNNING.get() == 0) {
            awaitNoNewThreads();
        }
        LeakRecorder.collect();
        List<String> leaks = LeakRecorder.since(leaksBefore);
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " buffer leak(s) reported during the test:\n"
                    + String.join("\n", leaks));
        }
    }

    private static Set<Thread> faradThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("farad-"))
                .collect(Collectors.toSet());
    }

    private void awaitNoNewThreads() {
        long deadline = System.nanoTime() + LEAK_WAIT.toNanos();
        Set<Thread> extra;
        while (!(extra = newThreads()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads still running after the broker stopped: "
                        + extra.stream().map(Thread::getName).sorted().toList());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private Set<Thread> newThreads() {
        Set<Thread> now = faradThreads();
        now.removeAll(threadsBefore);
        return now;
    }

    private void awaitNoConnections() {
        long deadline = System.nanoTime() + LEAK_WAIT.toNanos();
        while (broker.connectionCount() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(broker.connectionCount()
                        + " client connection(s) still open at the end of the test: close every client");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private void deleteDataDirectory() {
        if (dataDirectory == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory the OS will reclaim
        }
        dataDirectory = null;
    }

    /** The running broker. */
    public Broker broker() {
        if (broker == null) {
            throw new IllegalStateException("the broker is not running");
        }
        return broker;
    }

    /** {@code tcp://127.0.0.1:<port>/amps/json}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port + "/amps/json";
    }

    public int port() {
        return port;
    }

    /** The broker's data directory (kept across {@link #restart()}). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the broker, dropping every connection; {@link #start()} or {@link #restart()} brings it back. */
    public void stop() {
        if (broker != null) {
            broker.close();
            RUNNING.decrementAndGet();
            broker = null;
        }
    }

    /** Starts a stopped broker on the same port and data directory. */
    public void start() {
        try {
            start(port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops and starts the broker on the same port and data directory. */
    public void restart() {
        stop();
        start();
    }
}
