package dev.farad.it;

import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a broker in this JVM from a properties file and prints {@code FARAD-PORT <port>} on standard
 * output once it listens, so a parent process that asked for port 0 can connect. Runs until the
 * process is killed.
 *
 * <pre>{@code
 * java -cp <class path> dev.farad.it.BrokerMain broker.properties
 * }</pre>
 *
 * <p>If the broker cannot start (for example a corrupted log), prints {@code FARAD-FAILED <message>}
 * and exits with status 2.
 */
public final class BrokerMain {
    /** The line prefix announcing the port. */
    public static final String PORT_LINE = "FARAD-PORT ";
    /** The line prefix announcing a failed start. */
    public static final String FAILED_LINE = "FARAD-FAILED ";

    private BrokerMain() {}

    /**
     * Starts the broker described by the properties file {@code args[0]} and blocks forever.
     *
     * @throws InterruptedException if the main thread is interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: BrokerMain <broker.properties>");
            System.exit(1);
        }
        Broker broker;
        try {
            broker = Broker.start(BrokerConfig.load(Path.of(args[0])));
        } catch (RuntimeException e) {
            System.out.println(FAILED_LINE + e.getMessage());
            System.out.flush();
            System.exit(2);
            return;
        }
        System.out.println(PORT_LINE + broker.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
