package dev.farad.server;

import dev.farad.server.internal.Transport;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Farad broker. {@link #start(BrokerConfig)} binds the port and returns once the broker
 * accepts connections; {@link #close()} stops it.
 *
 * <pre>{@code
 * try (Broker broker = Broker.start(BrokerConfig.builder().port(0).build())) {
 *     String uri = broker.uri();   // tcp://127.0.0.1:<port>/amps/json
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads: one acceptor, {@code ioThreads} Netty I/O threads and one engine thread that owns all
 * routing state (see {@code docs/THREADING.md}). Thread-safe.
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final Transport transport;
    private final InetSocketAddress address;
    private volatile boolean closed;

    private Broker(BrokerConfig config, Transport transport, InetSocketAddress address) {
        this.config = config;
        this.transport = transport;
        this.address = address;
    }

    /**
     * Starts a broker.
     *
     * @throws BrokerStartException when the port cannot be bound (the message names the address),
     *     the TLS key store cannot be loaded, or the transaction log cannot be opened or is
     *     corrupted (the message names the file and offset)
     * @throws IllegalArgumentException when the users file cannot be read or has an error (the
     *     message names the file and line)
     */
    public static Broker start(BrokerConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.usersFile() != null && config.authenticator() == Authenticator.ACCEPT_ALL) {
            config = config.toBuilder().authenticator(PasswordFileAuthenticator.load(config.usersFile())).build();
            log.info("users and entitlements from {}", config.usersFile());
        }
        if (config.authenticator() == Authenticator.ACCEPT_ALL) {
            log.warn("AUTHENTICATION IS DISABLED: any client may log on with any user and password");
        }
        Transport transport = new Transport(config);
        try {
            InetSocketAddress address = transport.start();
            Broker broker = new Broker(config, transport, address);
            log.info("Farad broker listening on {} ({} I/O thread{}, engine {})", broker.uri(), config.ioThreadCount(),
                    config.ioThreadCount() == 1 ? "" : "s", config.engineOnIoThread() ? "on the I/O thread" : "on its own thread");
            return broker;
        } catch (BrokerStartException e) {
            transport.close();
            throw e;
        } catch (InterruptedException e) {
            transport.close();
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while binding " + config.bindAddress() + ":" + config.port(), e);
        } catch (Exception e) { // Netty's bind failure is a checked IOException thrown sneakily
            transport.close();
            throw new BrokerStartException("cannot listen on " + config.bindAddress() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The port the broker listens on. */
    public int port() {
        return address.getPort();
    }

    /**
     * The connection string clients use, e.g. {@code tcp://127.0.0.1:9007/amps/json}, or {@code
     * tcps://...} when the broker serves TLS.
     */
    public String uri() {
        return (config.tls() == null ? "tcp://" : "tcps://") + address.getHostString() + ":" + address.getPort() + "/amps/json";
    }

    /** The configuration this broker runs with. */
    public BrokerConfig config() {
        return config;
    }

    /** Client connections open now. */
    public int connectionCount() {
        return transport.openConnections();
    }

    /** Stops accepting, closes every connection and stops the broker's threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        transport.close();
        log.info("Farad broker on port {} stopped", port());
    }

    /** The broker could not start. */
    public static final class BrokerStartException extends RuntimeException {
        public BrokerStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
