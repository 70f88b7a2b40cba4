package dev.farad.client;

import dev.farad.client.exceptions.ConnectionException;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.FaradException;
import dev.farad.client.exceptions.LogonRequiredException;
import dev.farad.client.exceptions.ReconnectMaximumExceededException;
import dev.farad.client.exceptions.TimedOutException;
import dev.farad.client.exceptions.UsageException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Client} that keeps itself connected: it connects to the server its {@link
 * ServerChooser} names, logs on, and whenever the connection is lost reconnects (waiting as its
 * {@link ReconnectBackoff} says), replays unpersisted publishes from its {@link PublishStore} and
 * re-enters its asynchronous subscriptions through its {@link SubscriptionManager}.
 *
 * <pre>{@code
 * try (HAClient client = HAClient.builder("order-router")
 *         .servers("tcp://10.0.0.1:9007/amps/json", "tcp://10.0.0.2:9007/amps/json")
 *         .heartbeat(Duration.ofSeconds(5))
 *         .exceptionListener(e -> log.warn("async failure", e))
 *         .build()) {
 *     client.connectAndLogon();
 *     client.subscribe(this::onOrder, "orders", "/qty > 100", Duration.ofSeconds(5));
 *     client.publish("orders", payload);
 *     client.publishFlush(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>States per attempt: {@code CONNECTED}, {@code LOGGED_ON}, [{@code HEARTBEAT_INITIATED}],
 * {@code PUBLISH_REPLAYED}, {@code RESUBSCRIBED}; a failed attempt after connecting reports {@code
 * DISCONNECTED}; giving up or {@code close()} reports {@code SHUTDOWN}.
 *
 * <p>Reconnecting runs in the disconnect handler, on the receive thread of the lost connection.
 * Publishes made meanwhile are stored and sent after the reconnect; subscriptions made meanwhile are
 * remembered and entered then. Thread-safe.
 *
 * <p>Pitfalls: a {@link MessageStream} is not re-entered after a reconnect (use a handler); the
 * memory store does not survive the process.
 */
public final class HAClient implements AutoCloseable {
    private final Client client;
    private final ServerChooser chooser;
    private final ReconnectBackoff backoff;
    private final Duration maxRetryTime;
    private final Duration logonTimeout;
    private final PublishStore store;
    private final SubscriptionManager manager;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong nextSubId = new AtomicLong();

    private HAClient(Builder b) {
        this.client = new Client(b.name);
        this.chooser = b.chooser;
        this.backoff = b.backoff;
        this.maxRetryTime = b.maxRetryTime;
        this.logonTimeout = b.logonTimeout;
        this.store = b.publishStore;
        this.manager = b.subscriptionManager;
        client.setExceptionListener(b.exceptionListener);
        client.setPublishStore(store);
        client.setSubscriptionManager(manager);
        client.setAuthenticator(b.authenticator);
        if (!b.heartbeat.isZero()) {
            client.setHeartbeat(b.heartbeat);
        }
        client.setDisconnectHandler(c -> connectLoop());
    }

    /** Starts a builder for a client called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The client underneath, for everything this class does not wrap (queries, commands, handlers). */
    public Client client() {
        return client;
    }

    /** The publish store. */
    public PublishStore publishStore() {
        return store;
    }

    /** The subscription manager. */
    public SubscriptionManager subscriptionManager() {
        return manager;
    }

    /** Adds a connection state listener; see {@link Client#addConnectionStateListener}. */
    public void addConnectionStateListener(ConnectionStateListener listener) {
        client.addConnectionStateListener(listener);
    }

    /** Whether connected and logged on right now. */
    public boolean isLoggedOn() {
        return client.isLoggedOn();
    }

    /**
     * Connects and logs on, trying servers until one accepts (returns at once if logged on).
     *
     * @throws ReconnectMaximumExceededException if the maximum retry time passed first (each
     *     attempt's failure is attached with {@code addSuppressed})
     * @throws ConnectionException if the chooser has no server
     * @throws DisconnectedException if closed meanwhile
     * @throws UsageException on a dispatch or receive thread of this client
     */
    public void connectAndLogon() {
        if (!client.isLoggedOn()) {
            connectLoop();
        }
    }

    private void connectLoop() {
        long startNs = System.nanoTime();
        List<Throwable> failures = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            Duration delay = backoff.delayBefore(attempt);
            if (!maxRetryTime.isZero()
                    && Duration.ofNanos(System.nanoTime() - startNs).plus(delay).compareTo(maxRetryTime) > 0) {
                ReconnectMaximumExceededException e = new ReconnectMaximumExceededException("client '"
                        + client.name() + "' gave up after " + (attempt - 1) + " attempt(s) in " + maxRetryTime,
                        null, null);
                failures.forEach(e::addSuppressed);
                throw e;
            }
            if (waitOrClosed(delay)) {
                throw new DisconnectedException("client '" + client.name() + "' closed while connecting", null,
                        null);
            }
            String uri = chooser.currentUri();
            if (uri == null) {
                throw new ConnectionException("no server to connect to: the server chooser returned none",
                        null, null);
            }
            try {
                client.connect(uri);
                client.logon(logonTimeout);
                if (client.isLoggedOn()) {
                    chooser.reportSuccess(uri);
                    return;
                }
                throw new DisconnectedException("connection to " + uri + " lost during recovery", null, null);
            } catch (FaradException e) {
                chooser.reportFailure(uri, e);
                failures.add(e);
                client.disconnect();
                if (e instanceof UsageException) {
                    throw e;
                }
            }
        }
    }

    /** Waits {@code delay}; returns {@code true} at once if the client is closed. */
    private boolean waitOrClosed(Duration delay) {
        try {
            return closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Publishes through the publish store: returns the sequence at once; if disconnected the
     * message is kept and sent after the reconnect.
     */
    public long publish(String topic, String data) {
        return client.publish(topic, data);
    }

    /** Publishes bytes; see {@link #publish(String, String)}. */
    public long publish(String topic, byte[] data) {
        return client.publish(topic, data);
    }

    /**
     * Subscribes and remembers the subscription so it is re-entered after every reconnect. If the
     * client is disconnected now, the subscription is only remembered and entered at the reconnect.
     *
     * @return the subscription id
     * @throws dev.farad.client.exceptions.CommandException subclasses if the broker refuses it
     * @throws TimedOutException if the broker does not acknowledge it in time
     */
    public CommandId subscribe(MessageHandler handler, String topic, String filter, Duration timeout) {
        Command cmd = new Command("subscribe").topic(Objects.requireNonNull(topic, "topic")).filter(filter)
                .subId(client.name() + "-ha-" + nextSubId.incrementAndGet()).timeout(timeout);
        if (client.isLoggedOn()) {
            try {
                return client.executeAsync(cmd, handler);
            } catch (DisconnectedException | LogonRequiredException e) {
                // Lost (or being re-established) meanwhile: entered at the reconnect below.
            }
        }
        manager.subscribe(handler, cmd);
        return new CommandId(cmd.subId());
    }

    /** Ends a subscription and forgets it; see {@link Client#unsubscribe(CommandId)}. */
    public void unsubscribe(CommandId subId) {
        client.unsubscribe(subId);
    }

    /**
     * Waits until the broker has persisted every message published before this call (the store
     * holds none of them any more).
     *
     * @throws TimedOutException after {@code timeout}
     */
    public void publishFlush(Duration timeout) {
        client.publishFlush(timeout);
    }

    /** Stops reconnecting and closes the client; see {@link Client#close()}. Idempotent. */
    @Override
    public void close() {
        closed.countDown();
        client.close();
    }

    @Override
    public String toString() {
        return "HAClient{" + client + '}';
    }

    /**
     * Settings of an {@link HAClient}; {@link #build()} validates them. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private ServerChooser chooser;
        private ReconnectBackoff backoff = ExponentialBackoff.DEFAULT;
        private Duration maxRetryTime = Duration.ZERO;
        private Duration logonTimeout = Duration.ofSeconds(10);
        private Duration heartbeat = Duration.ZERO;
        private PublishStore publishStore = new MemoryPublishStore();
        private SubscriptionManager subscriptionManager = new MemorySubscriptionManager();
        private ExceptionListener exceptionListener;
        private Authenticator authenticator = Authenticator.FROM_URI;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Round-robin over these URIs (a {@link DefaultServerChooser}). */
        public Builder servers(String... uris) {
            this.chooser = new DefaultServerChooser(Arrays.asList(uris));
            return this;
        }

        /** Round-robin over these URIs (a {@link DefaultServerChooser}). */
        public Builder servers(URI... uris) {
            return servers(Arrays.stream(uris).map(URI::toString).toArray(String[]::new));
        }

        /** Chooses servers with {@code chooser}. */
        public Builder serverChooser(ServerChooser chooser) {
            this.chooser = chooser;
            return this;
        }

        /** The wait before each attempt; {@link ExponentialBackoff#DEFAULT} by default. */
        public Builder reconnectBackoff(ReconnectBackoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** Give up (with {@link ReconnectMaximumExceededException}) after this long; zero never gives up (default). */
        public Builder maxRetryTime(Duration maxRetryTime) {
            this.maxRetryTime = maxRetryTime;
            return this;
        }

        /** How long each logon may take (10 s by default). */
        public Builder logonTimeout(Duration logonTimeout) {
            this.logonTimeout = logonTimeout;
            return this;
        }

        /** Heartbeat interval (read timeout twice that); zero (default) for none. */
        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        /** The publish store; a {@link MemoryPublishStore} by default. */
        public Builder publishStore(PublishStore publishStore) {
            this.publishStore = publishStore;
            return this;
        }

        /** The subscription manager; a {@link MemorySubscriptionManager} by default. */
        public Builder subscriptionManager(SubscriptionManager subscriptionManager) {
            this.subscriptionManager = subscriptionManager;
            return this;
        }

        /** Receives absorbed exceptions, including each failed reconnect run. */
        public Builder exceptionListener(ExceptionListener exceptionListener) {
            this.exceptionListener = exceptionListener;
            return this;
        }

        /** Supplies logon passwords; the URI's by default. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * Builds the client (not connected yet).
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public HAClient build() {
            if (chooser == null) {
                throw new IllegalArgumentException("servers or serverChooser must be set");
            }
            Objects.requireNonNull(backoff, "reconnectBackoff");
            Objects.requireNonNull(publishStore, "publishStore");
            Objects.requireNonNull(subscriptionManager, "subscriptionManager");
            Objects.requireNonNull(authenticator, "authenticator");
            checkNotNegative(maxRetryTime, "maxRetryTime");
            checkNotNegative(logonTimeout, "logonTimeout");
            checkNotNegative(heartbeat, "heartbeat");
            return new HAClient(this);
        }

        private static void checkNotNegative(Duration d, String field) {
            Objects.requireNonNull(d, field);
            if (d.isNegative()) {
                throw new IllegalArgumentException(field + " must be >= 0 but was " + d);
            }
        }
    }
}
