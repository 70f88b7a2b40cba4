package dev.farad.cli;

import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farad server}: starts a broker with built-in defaults (127.0.0.1:9007, no config file
 * needed), or with a properties file, and runs until interrupted.
 *
 * <p>Runs on the caller's thread, which then waits for shutdown.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Start a broker (defaults: 127.0.0.1:9007, no config file needed).")
final class ServerCommand implements Callable<Integer> {
    private static volatile boolean running;

    @Option(names = "--port", description = "TCP port (default: 9007, or the config file's)")
    Integer port;

    @Option(names = "--bind", description = "address to listen on (default: 127.0.0.1)")
    String bind;

    @Option(names = "--config", description = "properties file with broker settings (see docs/CONFIG.md)")
    Path config;

    /** Set only by tests: return once started instead of waiting. */
    CountDownLatch stop = new CountDownLatch(1);

    static boolean keepRunning() {
        return running;
    }

    @Override
    public Integer call() throws InterruptedException {
        BrokerConfig base = config == null ? BrokerConfig.defaults() : BrokerConfig.load(config);
        BrokerConfig.Builder b = base.toBuilder();
        if (port != null) {
            b.port(port);
        }
        if (bind != null) {
            b.bindAddress(bind);
        }
        Broker broker = Broker.start(b.build());
        running = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stop.countDown();
        }, "farad-shutdown"));
        stop.await();
        return 0;
    }
}
