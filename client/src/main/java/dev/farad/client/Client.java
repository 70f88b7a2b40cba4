package dev.farad.client;

import dev.farad.client.exceptions.AlreadyConnectedException;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.FaradException;
import dev.farad.client.exceptions.InvalidURIException;
import dev.farad.client.exceptions.StreamException;
import dev.farad.client.exceptions.TimedOutException;
import dev.farad.client.exceptions.TransportTypeException;
import dev.farad.client.exceptions.UsageException;
import dev.farad.client.internal.Connection;
import dev.farad.client.internal.Dispatcher;
import dev.farad.client.internal.Messages;
import dev.farad.client.internal.Router;
import dev.farad.client.internal.Router.Pending;
import dev.farad.client.internal.Router.Route;
import dev.farad.client.internal.StreamQueue;
import dev.farad.protocol.AckType;
import dev.farad.protocol.FaradUri;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A named connection to one Farad broker: connect, log on, publish, subscribe, query.
 *
 * <pre>{@code
 * try (Client client = new Client("order-viewer")) {
 *     client.setExceptionListener(e -> log.warn("absorbed", e));
 *     client.connect("tcp://127.0.0.1:9007/amps/json");
 *     client.logon();
 *     client.subscribe(m -> show(m.dataAsString()), "orders", "/qty > 100", Duration.ofSeconds(5));
 *     client.publish("orders", "{\"qty\":200}");
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@link #connect} opens a socket ({@link ConnectionState#CONNECTED}), {@link
 * #logon} authenticates ({@code LOGGED_ON}, then {@code HEARTBEAT_INITIATED} if a heartbeat is
 * set). When a logged-on connection is lost unexpectedly the client reports {@code DISCONNECTED},
 * ends every subscription and stream, and runs the {@link DisconnectHandler}, which may reconnect.
 * {@link #close()} ends everything for good ({@code SHUTDOWN}). After any exception from a call the
 * client stays usable.
 *
 * <p><b>Threads.</b> Each connection has a receive thread ({@code farad-client-io-<n>}) that reads
 * frames, answers heartbeats and completes acknowledgements. Message handlers, listeners and the
 * completion of returned futures run on the client's dispatch thread ({@code
 * farad-client-dispatch-<n>}), in order, so a slow handler never delays heartbeats. A blocking call
 * (a method that waits for an acknowledgement, or reading a {@link MessageStream}) made on the
 * dispatch or receive thread of the same client throws {@link UsageException} instead of
 * deadlocking; use the {@code *Async}/{@code executeFuture} forms there. The disconnect handler is
 * the exception: blocking calls are allowed in it. Thread-safe: every method may be called from any
 * thread.
 *
 * <p><b>Errors.</b> Failure acknowledgements become exceptions named after the broker's reason
 * ({@code bad filter} gives {@link dev.farad.client.exceptions.BadFilterException}, and so on; see
 * {@link dev.farad.client.exceptions}). Failures with no caller go to the {@link
 * ExceptionListener}; failed writes go to the {@link FailedWriteHandler}; messages nobody routes go
 * to the last-chance message handler.
 *
 * <p><b>Pitfalls.</b> {@link #publish} returns before the broker has seen the message; call {@link
 * #flush(Duration)} to know it was processed. A {@link MessageStream} that nobody reads holds up
 * the other handlers once it is full.
 */
public class Client implements AutoCloseable {
    /** The version this client reports at logon. */
    public static final String VERSION = "farad-0.1";

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Object stateLock = new Object();
    private final Dispatcher dispatcher;
    private final Router router;
    private final AtomicLong nextCommandId = new AtomicLong();
    private final List<ConnectionStateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Boolean> inDisconnectHandler = ThreadLocal.withInitial(() -> false);
    private final AtomicBoolean closed = new AtomicBoolean();

    // Guarded by stateLock (written); read without it.
    private volatile Connection connection;
    /** Any thread may publish: a racing writer just replaces it. */
    private volatile PublishHeader lastPublishHeader;
    private volatile String uriText;
    private volatile long lastLogonSequence;
    private volatile String serverVersion;
    // The highest sequence replayed after a logon: a `duplicate` failure for it is harmless.
    private volatile long replayedUpTo;
    // How many logons succeeded; HAClient tells a failed logon from a failed recovery by it.
    private final AtomicLong logons = new AtomicLong();
    // Stored writes go out in sequence order: assigning a sequence and sending happen under it.
    private final Object writeOrder = new Object();
    // Guarded by writeOrder: the connection whose replay is done, so stored writes go out at once.
    private Connection liveWrites;

    private volatile ExceptionListener exceptionListener;
    private volatile DisconnectHandler disconnectHandler;
    private volatile MessageHandler lastChanceHandler;
    private volatile FailedWriteHandler failedWriteHandler;
    private volatile PublishStore publishStore;
    private volatile SubscriptionManager subscriptionManager;
    private volatile Authenticator authenticator = Authenticator.FROM_URI;
    private volatile Duration heartbeatInterval = Duration.ZERO;
    private volatile Duration heartbeatReadTimeout = Duration.ZERO;
    private volatile Duration defaultTimeout = DEFAULT_TIMEOUT;
    private volatile int defaultMaxDepth = 10_000;
    private volatile javax.net.ssl.SSLContext sslContext;

    /**
     * Creates a client; it does not connect yet.
     *
     * @param name the client name, unique per broker: the broker uses it to recognise a publisher
     *     across reconnects
     */
    public Client(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        this.name = name;
        this.dispatcher = new Dispatcher(this::reportException);
        this.router = new Router(dispatcher, new RouterHooks());
    }

    /** The client name. */
    public String name() {
        return name;
    }

    /** The URI of the current or last connection (password removed), or {@code null}. */
    public String uri() {
        return uriText;
    }

    /** The broker's version from the last logon acknowledgement, or {@code null}. */
    public String serverVersion() {
        return serverVersion;
    }

    /** The sequence the last logon acknowledgement carried: the last one the broker holds for this name. */
    public long lastLogonSequence() {
        return lastLogonSequence;
    }

    /** Whether the client has an open connection. */
    public boolean isConnected() {
        Connection c = connection;
        return c != null && c.isActive();
    }

    /** Whether the client is connected and logged on. */
    public boolean isLoggedOn() {
        Connection c = connection;
        return c != null && c.isActive() && c.loggedOn();
    }

    // ---------------------------------------------------------------- settings

    /** Sets the listener for absorbed exceptions; {@code null} drops them. */
    public void setExceptionListener(ExceptionListener listener) {
        this.exceptionListener = listener;
    }

    /** Sets the handler for unexpected connection loss; {@code null} for none. */
    public void setDisconnectHandler(DisconnectHandler handler) {
        this.disconnectHandler = handler;
    }

    /** Sets the handler for messages no route consumes; {@code null} drops them. */
    public void setLastChanceMessageHandler(MessageHandler handler) {
        this.lastChanceHandler = handler;
    }

    /** Sets the handler for failed writes; {@code null} sends them to the last-chance handler. */
    public void setFailedWriteHandler(FailedWriteHandler handler) {
        this.failedWriteHandler = handler;
    }

    /**
     * Sets the TLS context for {@code tcps} URIs, taking effect at the next {@link #connect}; its
     * trust managers decide which server certificates are accepted (see {@link TrustStores}).
     * {@code null} (the default) uses the JDK's default context: the JDK's CA certificates, or the
     * trust store named by {@code -Djavax.net.ssl.trustStore}. The server's certificate must also
     * name the URI's host.
     */
    public void setSslContext(javax.net.ssl.SSLContext context) {
        this.sslContext = context;
    }

    /** Sets how {@link #logon()} obtains passwords; defaults to the URI's password. */
    public void setAuthenticator(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /**
     * Sets the publish store; {@code null} for none.
     *
     * @throws AlreadyConnectedException while connected
     */
    public void setPublishStore(PublishStore store) {
        synchronized (stateLock) {
            if (isConnected()) {
                throw new AlreadyConnectedException("cannot set a publish store while connected to "
                        + uriText, null, null);
            }
            this.publishStore = store;
        }
    }

    /** The publish store, or {@code null}. */
    public PublishStore publishStore() {
        return publishStore;
    }

    /** Sets the subscription manager; {@code null} for none. */
    public void setSubscriptionManager(SubscriptionManager manager) {
        this.subscriptionManager = manager;
    }

    /** The subscription manager, or {@code null}. */
    public SubscriptionManager subscriptionManager() {
        return subscriptionManager;
    }

    /**
     * Sets how long blocking calls wait for their acknowledgement when no timeout is given (10 s by
     * default); {@link Duration#ZERO} waits without limit.
     */
    public void setDefaultTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0 but was " + timeout);
        }
        this.defaultTimeout = timeout;
    }

    /** Sets how many messages a new {@link MessageStream} holds before the dispatch thread waits (0: no bound). */
    public void setDefaultMaxDepth(int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be >= 0 but was " + maxDepth);
        }
        this.defaultMaxDepth = maxDepth;
    }

    /** Adds a connection state listener. */
    public void addConnectionStateListener(ConnectionStateListener listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a connection state listener. */
    public void removeConnectionStateListener(ConnectionStateListener listener) {
        stateListeners.remove(listener);
    }

    /** Heartbeats with read timeout twice the interval; see {@link #setHeartbeat(Duration, Duration)}. */
    public void setHeartbeat(Duration interval) {
        setHeartbeat(interval, interval.multipliedBy(2));
    }

    /**
     * Turns heartbeating on ({@code interval > 0}) or off ({@link Duration#ZERO}). The client asks
     * the broker to heartbeat every {@code interval} (whole seconds on the wire, rounded up), sends
     * its own beat every {@code interval}, answers the broker's beats, and declares the connection
     * lost when nothing arrives for {@code readTimeout}. Takes effect at the next logon, or at once
     * when logged on (reporting {@link ConnectionState#HEARTBEAT_INITIATED}).
     *
     * @throws UsageException if {@code readTimeout < interval}
     */
    public void setHeartbeat(Duration interval, Duration readTimeout) {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must be >= 0 but was " + interval);
        }
        if (!interval.isZero() && readTimeout.compareTo(interval) < 0) {
            throw new UsageException("heartbeat readTimeout must be >= interval but was " + readTimeout
                    + " < " + interval);
        }
        this.heartbeatInterval = interval;
        this.heartbeatReadTimeout = readTimeout;
        Connection c = connection;
        if (c != null && c.loggedOn()) {
            startHeartbeat(c);
        }
    }

    // ---------------------------------------------------------------- connect, logon, close

    /** Connects to {@code uri}; see {@link #connect(String)}. */
    public void connect(URI uri) {
        connect(Objects.requireNonNull(uri, "uri").toString());
    }

    /**
     * Opens a connection, for example to {@code tcp://user:pw@127.0.0.1:9007/amps/json}, and reports
     * {@link ConnectionState#CONNECTED}. Blocks until the socket is open.
     *
     * @throws AlreadyConnectedException if already connected
     * @throws InvalidURIException if the URI is malformed
     * @throws TransportTypeException if the transport is not {@code tcp} or {@code tcps}
     * @throws dev.farad.client.exceptions.ConnectionRefusedException if nothing listens there
     * @throws dev.farad.client.exceptions.ConnectionException if connecting fails otherwise
     * @throws UsageException if the client is closed
     */
    public void connect(String uri) {
        Objects.requireNonNull(uri, "uri");
        FaradUri parsed;
        try {
            parsed = FaradUri.parse(uri);
        } catch (FaradUri.UnsupportedTransportException e) {
            throw new TransportTypeException(e.getMessage() + " (in " + FaradUri.redact(uri) + ")", null, e);
        } catch (IllegalArgumentException e) {
            throw new InvalidURIException(e.getMessage(), null, e);
        }
        synchronized (stateLock) {
            checkNotClosed();
            if (isConnected()) {
                throw new AlreadyConnectedException("client '" + name + "' is already connected to "
                        + uriText + "; cannot connect to " + parsed, null, null);
            }
            Connection c = Connection.open(parsed, new ConnectionEvents(), sslContext);
            connection = c;
            uriText = parsed.toString();
            broadcast(ConnectionState.CONNECTED);
        }
    }

    /** Logs on with the default timeout; see {@link #logon(Duration)}. */
    public void logon() {
        logon(defaultTimeout);
    }

    /**
     * Logs on with the client name and the credentials of the URI (through the {@link
     * Authenticator}), waiting up to {@code timeout} for the acknowledgement ({@link Duration#ZERO}:
     * no limit). Then reports {@code LOGGED_ON}, starts heartbeating if set ({@code
     * HEARTBEAT_INITIATED}), replays the publish store ({@code PUBLISH_REPLAYED}) and lets the
     * subscription manager resubscribe ({@code RESUBSCRIBED}), each only when configured.
     *
     * <p>If the logon fails the client closes the connection (without running the disconnect
     * handler) and stays usable for another {@code connect}.
     *
     * @throws dev.farad.client.exceptions.AuthenticationException credentials refused
     * @throws dev.farad.client.exceptions.NameInUseException the name is held by another user
     * @throws TimedOutException no acknowledgement in time
     * @throws DisconnectedException not connected, or the connection was lost meanwhile
     * @throws UsageException on a dispatch or receive thread of this client
     */
    public void logon(Duration timeout) {
        logonInternal(timeout);
    }

    /** The logon itself; {@link HAClient} reaches it from its reconnect loop. */
    final void logonInternal(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkBlockingAllowed("logon");
        Connection c = requireConnection("logon");
        FaradUri u = c.uri();
        Authenticator auth = authenticator;
        String password = auth.authenticate(u.user(), u.password());
        Message ack;
        while (true) {
            String cid = newCommandId();
            Header h = new Header().command(dev.farad.protocol.Command.LOGON).commandId(cid)
                    .clientName(name).userId(u.user()).password(password).version(VERSION)
                    .ackTypes(AckType.PROCESSED.bit());
            Pending p = new Pending(cid, "logon", null, AckType.PROCESSED.bit(), 0, null, c).asLogon();
            try {
                ack = await(p, h, null, timeout, "logon");
            } catch (FaradException e) {
                if (!c.loggedOn()) {
                    // A refused first logon ends the connection; a repeated one leaves it as it was.
                    dropConnection(c);
                }
                throw e;
            }
            if ("retry".equals(ack.status())) {
                password = auth.retry(ack.userId() != null ? ack.userId() : u.user(), ack.dataAsString());
                continue;
            }
            break;
        }
        auth.completed(u.user(), password, ack.reason());
        lastLogonSequence = ack.sequence();
        serverVersion = ack.version();
        synchronized (stateLock) {
            if (connection != c) {
                // Lost right after the broker accepted the logon: the disconnect path owns recovery.
                return;
            }
            logons.incrementAndGet();
            broadcast(ConnectionState.LOGGED_ON);
        }
        if (!heartbeatInterval.isZero()) {
            startHeartbeat(c);
        }
        PublishStore store = publishStore;
        if (store != null) {
            store.discardUpTo(ack.sequence());
            replay(c, store);
            broadcastIfConnected(ConnectionState.PUBLISH_REPLAYED);
        }
        SubscriptionManager manager = subscriptionManager;
        if (manager != null) {
            manager.resubscribe(this);
            broadcastIfConnected(ConnectionState.RESUBSCRIBED);
        }
    }

    private void startHeartbeat(Connection c) {
        Duration interval = heartbeatInterval;
        if (interval.isZero()) {
            c.stopHeartbeat();
            trySend(c, new Header().command(dev.farad.protocol.Command.HEARTBEAT).options("stop"), null);
            return;
        }
        long seconds = Math.max(1, (interval.toMillis() + 999) / 1000);
        if (!trySend(c, new Header().command(dev.farad.protocol.Command.HEARTBEAT)
                .options("start," + seconds), null)) {
            return;
        }
        c.startHeartbeat(interval, heartbeatReadTimeout, beat());
        broadcastIfConnected(ConnectionState.HEARTBEAT_INITIATED);
    }

    private static Header beat() {
        return new Header().command(dev.farad.protocol.Command.HEARTBEAT).options("beat");
    }

    /**
     * Closes the client: closes the connection (reporting {@code DISCONNECTED} if connected), fails
     * every pending reply and future with {@link DisconnectedException}, ends every {@link
     * MessageStream} (readers get what is queued, then the end), reports {@code SHUTDOWN}, runs what
     * the dispatch thread still has queued and stops it (waiting up to 5 s, unless called on it).
     * The disconnect handler does not run. Idempotent; the client cannot be reconnected afterwards.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Connection c;
        synchronized (stateLock) {
            c = connection;
            connection = null;
            if (c != null) {
                c.close();
                broadcast(ConnectionState.DISCONNECTED);
            }
        }
        router.failAll(null, () -> new DisconnectedException("client '" + name + "' closed", null, null));
        router.endAllNow();
        broadcast(ConnectionState.SHUTDOWN);
        dispatcher.shutdown(CLOSE_WAIT);
    }

    /**
     * Closes the connection without closing the client, as {@link #close()} does for the
     * connection; the disconnect handler does not run. The client may connect again.
     */
    public void disconnect() {
        Connection c;
        synchronized (stateLock) {
            c = connection;
            if (c == null) {
                return;
            }
            connection = null;
            c.close();
            broadcast(ConnectionState.DISCONNECTED);
        }
        router.failAll(c, () -> new DisconnectedException("client '" + name + "' disconnected", null, null));
        router.endAll(new DisconnectedException("client '" + name + "' disconnected", null, null));
    }

    // ---------------------------------------------------------------- publish

    /** Publishes UTF-8 text; see {@link #publish(String, byte[])}. */
    public long publish(String topic, String data) {
        return publish(topic, Objects.requireNonNull(data, "data").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Publishes a message and returns at once, without waiting for any acknowledgement.
     *
     * @param data the payload; copied before this returns if a publish store keeps it, otherwise
     *     not kept after the bytes are written
     * @return the sequence the publish store assigned, or {@code 0} without a store
     * @throws DisconnectedException if not connected (with a store the message stays stored and is
     *     replayed at the next logon, and nothing is thrown)
     */
    public long publish(String topic, byte[] data) {
        return write(dev.farad.protocol.Command.PUBLISH, topic, data, Header.ABSENT);
    }

    /** Publishes with an expiration in seconds; see {@link #publish(String, byte[])}. */
    public long publish(String topic, byte[] data, long expirationSeconds) {
        return write(dev.farad.protocol.Command.PUBLISH, topic, data, expirationSeconds);
    }

    /**
     * Merges the fields of {@code data} into the SOW record with the same key; otherwise like {@link
     * #publish(String, byte[])}.
     */
    public long deltaPublish(String topic, byte[] data) {
        return write(dev.farad.protocol.Command.DELTA_PUBLISH, topic, data, Header.ABSENT);
    }

    private long write(dev.farad.protocol.Command command, String topic, byte[] data, long expiration) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(data, "data");
        PublishStore store = publishStore;
        if (store == null && command == dev.farad.protocol.Command.PUBLISH && expiration == Header.ABSENT) {
            sendPublish(topic, data);
            return 0;
        }
        Header h = new Header().command(command).topic(topic).expiration(expiration);
        if (store == null) {
            send(h, data);
            return 0;
        }
        String longName = command == dev.farad.protocol.Command.PUBLISH ? "publish" : command.wireName();
        return storeAndSend(store, h, new StoredPublish(0, longName, topic, data.clone(), null, null, expiration),
                data);
    }

    /**
     * Stores a write and sends it with its sequence if the current connection's replay is done;
     * otherwise the replay after the next logon sends it. May block on a full store.
     */
    private long storeAndSend(PublishStore store, Header h, StoredPublish write, byte[] data) {
        synchronized (writeOrder) {
            long seq = store.store(write);
            h.sequence(seq).ackTypes(AckType.PERSISTED.bit());
            Connection c = liveWrites;
            if (c != null && c == connection) {
                trySend(c, h, data);
            }
            return seq;
        }
    }

    /**
     * Replays the store on a fresh logon in sequence order: the bulk first, then (holding the write
     * order) what was stored meanwhile, after which writes go out directly. Until then a write is
     * only stored, so the broker never sees a sequence before a lower one.
     */
    private void replay(Connection c, PublishStore store) {
        long[] sent = {0};
        java.util.function.Consumer<StoredPublish> sender = sp -> {
            if (sp.sequence() > sent[0]) {
                replayedUpTo = Math.max(replayedUpTo, sp.sequence());
                sendStored(c, sp);
                sent[0] = sp.sequence();
            }
        };
        store.replay(sender);
        synchronized (writeOrder) {
            store.replay(sender);
            liveWrites = c;
        }
    }

    private void sendStored(Connection c, StoredPublish sp) {
        dev.farad.protocol.Command command = dev.farad.protocol.Command.fromWire(sp.command());
        Header h = new Header().command(command).topic(sp.topic()).filter(sp.filter())
                .correlationId(sp.correlationId()).expiration(sp.expiration()).sequence(sp.sequence())
                .ackTypes(AckType.PERSISTED.bit());
        trySend(c, h, sp.data());
    }

    /**
     * Deletes the SOW records of {@code topic} that match {@code filter}; returns once sent. A
     * failure goes to the failed-write handler (or the last-chance handler).
     *
     * @return the command id of the delete
     * @throws DisconnectedException if not connected
     */
    public CommandId sowDelete(String topic, String filter) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(filter, "filter");
        String cid = newCommandId();
        PublishStore store = publishStore;
        if (store != null) {
            // Like a publish: sequenced, kept until persisted, replayed; failures reach the failed-write handler.
            storeAndSend(store, new Header().command(dev.farad.protocol.Command.SOW_DELETE).commandId(cid)
                    .topic(topic).filter(filter), new StoredPublish(0, "sow_delete", topic, new byte[0], filter,
                    null, Header.ABSENT), null);
            return new CommandId(cid);
        }
        Connection c = requireConnection("sow_delete");
        Pending p = new Pending(cid, "sow_delete", topic, AckType.PROCESSED.bit(), 0, null, c).asWrite();
        router.track(p);
        try {
            send(new Header().command(dev.farad.protocol.Command.SOW_DELETE).commandId(cid).topic(topic)
                    .filter(filter).ackTypes(AckType.PROCESSED.bit()), null);
        } catch (FaradException e) {
            router.untrack(p);
            throw e;
        }
        return new CommandId(cid);
    }

    // ---------------------------------------------------------------- subscribe, execute

    /**
     * Subscribes {@code handler} to {@code topic} (a name, or a regular expression), with an
     * optional content filter, and returns once the broker acknowledged it.
     *
     * @param filter the content filter, or {@code null}
     * @param timeout how long to wait for the acknowledgement; on expiry the client sends an
     *     {@code unsubscribe} and throws {@link TimedOutException}
     * @return the subscription id
     * @throws dev.farad.client.exceptions.CommandException subclasses for the broker's failure
     *     reasons (bad filter, bad regex topic, ...)
     * @throws DisconnectedException if not connected or the connection is lost meanwhile
     * @throws UsageException on a dispatch or receive thread of this client
     */
    public CommandId subscribe(MessageHandler handler, String topic, String filter, Duration timeout) {
        return executeAsync(subscribeCommand(topic, filter).timeout(timeout), handler);
    }

    /** Subscribes without a filter, with the default timeout; returns the subscription id. */
    public CommandId subscribe(MessageHandler handler, String topic) {
        return executeAsync(subscribeCommand(topic, null), handler);
    }

    /** Subscribes and returns a {@link MessageStream} of the deliveries (default timeout). */
    public MessageStream subscribe(String topic) {
        return execute(subscribeCommand(topic, null));
    }

    /** Subscribes with a content filter and returns a {@link MessageStream} of the deliveries. */
    public MessageStream subscribe(String topic, String filter) {
        return execute(subscribeCommand(topic, filter));
    }

    /**
     * Subscribes without blocking. The future completes on the dispatch thread with the
     * subscription id once the broker acknowledged it, or exceptionally with the exceptions {@link
     * #subscribe(MessageHandler, String, String, Duration)} throws.
     */
    public CompletableFuture<CommandId> subscribeAsync(MessageHandler handler, String topic,
            String filter) {
        return executeFuture(subscribeCommand(topic, filter), handler);
    }

    private static Command subscribeCommand(String topic, String filter) {
        return new Command("subscribe").topic(Objects.requireNonNull(topic, "topic")).filter(filter);
    }

    /**
     * Runs a command whose results go to {@code handler}. For subscriptions, queries, {@code
     * sow_delete}, {@code unsubscribe} and {@code flush} it waits for the {@code processed}
     * acknowledgement (up to the command's timeout); publishes return at once.
     *
     * @return the command id (for subscriptions the subscription id)
     * @throws dev.farad.client.exceptions.CommandException subclasses for failure acks
     * @throws TimedOutException if the acknowledgement does not come in time (an {@code
     *     unsubscribe} is sent for a subscription or query)
     * @throws DisconnectedException if not connected or the connection is lost meanwhile
     * @throws UsageException for a blocking command on a dispatch or receive thread of this client
     */
    public CommandId executeAsync(Command command, MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Command cmd = Objects.requireNonNull(command, "command").copy();
        if (awaitsProcessed(cmd.protocolCommand())) {
            // Before prepare() registers a route, so a refused call leaves nothing behind.
            checkBlockingAllowed(cmd.name());
        }
        Prepared p = prepare(cmd, router.newRoute(handler, null));
        if (p.awaits) {
            await(p.pending, p.header, cmd.data(), timeoutOf(cmd), cmd.name());
            manage(handler, cmd);
        } else {
            sendPrepared(p, cmd.data());
        }
        return p.id;
    }

    /**
     * Runs a command and returns its results as a {@link MessageStream}; blocks like {@link
     * #executeAsync} until the command is acknowledged.
     *
     * @throws dev.farad.client.exceptions.CommandException subclasses for failure acks
     * @throws TimedOutException if the acknowledgement does not come in time
     * @throws DisconnectedException if not connected or the connection is lost meanwhile
     * @throws UsageException on a dispatch or receive thread of this client
     */
    public MessageStream execute(Command command) {
        Command cmd = Objects.requireNonNull(command, "command").copy();
        checkBlockingAllowed(cmd.name());
        StreamQueue queue = new StreamQueue(defaultMaxDepth);
        Prepared p = prepare(cmd, router.newRoute(null, queue));
        MessageStream stream = new MessageStream(p.id, queue, () -> closeRoute(p),
                () -> checkBlockingAllowed("reading a MessageStream"));
        if (p.awaits) {
            await(p.pending, p.header, cmd.data(), timeoutOf(cmd), cmd.name());
        } else {
            sendPrepared(p, cmd.data());
            if (p.pending == null) {
                queue.end(null, false);
            }
        }
        return stream;
    }

    /**
     * Runs a command without blocking. The future completes on the dispatch thread with the command
     * id once the command is acknowledged (at once for publishes), or exceptionally as {@link
     * #executeAsync} would throw; on timeout an {@code unsubscribe} is sent first.
     */
    public CompletableFuture<CommandId> executeFuture(Command command, MessageHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Command cmd = Objects.requireNonNull(command, "command").copy();
        Prepared p;
        try {
            p = prepare(cmd, router.newRoute(handler, null));
            if (!p.awaits) {
                sendPrepared(p, cmd.data());
                return completedOnDispatch(p.id, null);
            }
            sendPending(p.pending, p.header, cmd.data());
        } catch (FaradException e) {
            return completedOnDispatch(null, e);
        }
        return onDispatch(p.pending, timeoutOf(cmd), cmd.name(), ack -> {
            manage(handler, cmd);
            return p.id;
        });
    }

    /**
     * Ends a subscription: removes its route at once (later messages for it go to the last-chance
     * handler), ends its stream, and sends {@code unsubscribe} without waiting. Does not block and
     * does not throw when disconnected.
     */
    public void unsubscribe(CommandId subId) {
        unsubscribe(Objects.requireNonNull(subId, "subId").value());
    }

    /**
     * Ends subscriptions by id: one id, a comma list, or {@code all}; see {@link
     * #unsubscribe(CommandId)}.
     */
    public void unsubscribe(String subId) {
        Objects.requireNonNull(subId, "subId");
        if (subId.equals("all")) {
            unsubscribeAll();
            return;
        }
        SubscriptionManager manager = subscriptionManager;
        for (String one : subId.split(",")) {
            String id = one.trim();
            Route r = router.unregister(id);
            if (r != null) {
                r.end(null);
            }
            if (manager != null) {
                manager.unsubscribe(new CommandId(id));
            }
        }
        sendUnsubscribe(subId, null);
    }

    /** Ends every subscription of this client; see {@link #unsubscribe(CommandId)}. */
    public void unsubscribeAll() {
        router.endAll(null);
        SubscriptionManager manager = subscriptionManager;
        if (manager != null) {
            manager.clear();
        }
        sendUnsubscribe("all", null);
    }

    /**
     * Waits until the broker has processed every command this client sent before.
     *
     * @throws TimedOutException ("timed out waiting for flush") after {@code timeout}
     * @throws DisconnectedException if not connected or the connection is lost meanwhile
     * @throws UsageException on a dispatch or receive thread of this client
     */
    public void flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkBlockingAllowed("flush");
        String cid = newCommandId();
        Pending p = new Pending(cid, "flush", null, AckType.PROCESSED.bit(), 0, null,
                requireConnection("flush"));
        await(p, flushHeader(cid), null, timeout, "flush");
    }

    /**
     * Waits until the broker has persisted everything this client published before the call: sends
     * a {@code flush} asking for the {@code persisted} ack, which the broker sends only once every
     * earlier write of this connection is durable in its transaction log. With a publish store it
     * also waits until the store holds none of the messages stored before the call (they survive a
     * reconnect meanwhile, so a lost connection is not an error then).
     *
     * @throws TimedOutException after {@code timeout}
     * @throws DisconnectedException without a publish store, if not connected or the connection is
     *     lost meanwhile
     * @throws UsageException on a dispatch or receive thread of this client
     */
    public void publishFlush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkBlockingAllowed("publishFlush");
        PublishStore store = publishStore;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (store == null || isLoggedOn()) {
            try {
                String cid = newCommandId();
                Pending p = new Pending(cid, "flush", null, AckType.PERSISTED.bit(), 0, null,
                        requireConnection("publishFlush")).awaitsProcessed(false);
                await(p, new Header().command(dev.farad.protocol.Command.FLUSH).commandId(cid)
                        .ackTypes(AckType.PERSISTED.bit()), null, timeout, "publishFlush");
            } catch (DisconnectedException e) {
                if (store == null) {
                    throw e;
                }
                // The store still holds the messages; they are replayed after a reconnect.
            }
        }
        if (store == null) {
            return;
        }
        boolean persisted;
        try {
            persisted = store.awaitPersisted(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaradException("interrupted while waiting for publish flush", null, e);
        }
        if (!persisted) {
            throw new TimedOutException("timed out waiting for publish flush: " + store.unpersistedCount()
                    + " message(s) of client '" + name + "' not persisted after " + timeout, null, null);
        }
    }

    /** Like {@link #flush(Duration)} without blocking; completes on the dispatch thread. */
    public CompletableFuture<Void> flushAsync(Duration timeout) {
        String cid = newCommandId();
        Pending p;
        try {
            p = new Pending(cid, "flush", null, AckType.PROCESSED.bit(), 0, null, requireConnection("flush"));
            sendPending(p, flushHeader(cid), null);
        } catch (FaradException e) {
            return completedOnDispatch(null, e);
        }
        return onDispatch(p, timeout, "flush", ack -> null);
    }

    private static Header flushHeader(String cid) {
        return new Header().command(dev.farad.protocol.Command.FLUSH).commandId(cid)
                .ackTypes(AckType.PROCESSED.bit());
    }

    // ---------------------------------------------------------------- command machinery

    private String newCommandId() {
        return Long.toString(nextCommandId.incrementAndGet());
    }

    private Duration timeoutOf(Command cmd) {
        return cmd.timeout() != null ? cmd.timeout() : defaultTimeout;
    }

    /** A command ready to send: header, id, and (if it awaits acks) its pending entry. */
    private record Prepared(Header header, CommandId id, Pending pending, boolean awaits) {}

    private Prepared prepare(Command cmd, Route route) {
        dev.farad.protocol.Command pc = cmd.protocolCommand();
        String cid = cmd.commandId() != null ? cmd.commandId() : newCommandId();
        Header h = new Header().command(pc).commandId(cid).topic(cmd.topic()).filter(cmd.filter())
                .options(cmd.options()).subId(cmd.subId()).queryId(cmd.queryId()).bookmark(cmd.bookmark())
                .sowKey(cmd.sowKey()).sowKeys(cmd.sowKeys()).correlationId(cmd.correlationId())
                .expiration(cmd.expiration()).batchSize(cmd.batchSize()).topN(cmd.topN())
                .orderBy(cmd.orderBy()).sequence(cmd.sequence());
        String routeId = cid;
        if (pc.isSubscribe()) {
            if (h.subId() == null) {
                h.subId(cid);
                // The subscription manager re-enters the command under the same id after a reconnect.
                cmd.subId(cid);
            }
            routeId = h.subId();
        } else if (pc.isQuery()) {
            if (h.queryId() == null) {
                h.queryId(cid);
            }
            routeId = h.queryId();
        }
        if (pc.isQuery() && h.queryId() == null) {
            h.queryId(cid);
        }
        boolean awaits = awaitsProcessed(pc);
        int waitMask = awaits ? AckType.PROCESSED.bit() : 0;
        if (pc.isQuery()) {
            waitMask |= AckType.COMPLETED.bit();
        }
        int userMask = cmd.ackTypes();
        h.ackTypes(waitMask | userMask);
        // The caller's copy learns the ids, so a subscription manager can re-enter it unchanged.
        cmd.commandId(cid);
        if (pc.isSubscribe()) {
            cmd.subId(routeId);
        }
        route.bind(routeId, pc.isSubscribe(), pc.isQuery());
        Pending p = null;
        if (waitMask != 0 || userMask != 0) {
            p = new Pending(cid, cmd.name(), cmd.topic(), waitMask, userMask, route, connection)
                    .awaitsProcessed(awaits);
        }
        if (pc.isSubscribe() || pc.isQuery()) {
            router.register(route);
        }
        return new Prepared(h, new CommandId(routeId), p, awaits);
    }

    /** Whether {@code execute}/{@code executeAsync} wait for the processed ack of this command. */
    private static boolean awaitsProcessed(dev.farad.protocol.Command pc) {
        return pc != dev.farad.protocol.Command.PUBLISH && pc != dev.farad.protocol.Command.DELTA_PUBLISH
                && pc != dev.farad.protocol.Command.HEARTBEAT;
    }

    private void sendPrepared(Prepared p, byte[] data) {
        if (p.pending != null) {
            sendPending(p.pending, p.header, data);
        } else {
            send(p.header, data);
        }
    }

    /** Registers the pending entry, then sends; undoes the registration if the send fails. */
    private void sendPending(Pending p, Header h, byte[] data) {
        router.track(p);
        try {
            p.sentOn(send(h, data));
        } catch (FaradException e) {
            router.untrack(p);
            router.unregister(p.route());
            throw e;
        }
    }

    /** Sends and waits for the processed ack; maps failures, timeouts and disconnects. */
    private Message await(Pending p, Header h, byte[] data, Duration timeout, String what) {
        sendPending(p, h, data);
        try {
            if (timeout.isZero()) {
                return p.processed().get();
            }
            return p.processed().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timedOut(p, timeout, what);
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(p);
            throw new FaradException("interrupted while waiting for " + what, null, e);
        }
    }

    private TimedOutException timedOut(Pending p, Duration timeout, String what) {
        abandon(p);
        return new TimedOutException("timed out waiting for " + ("flush".equals(what) ? "flush" : what
                + (p.topic() == null ? "" : " of topic '" + p.topic() + "'") + " (command id " + p.cid() + ")")
                + " after " + timeout, null, null);
    }

    /** Gives up on a command: forgets it and cancels it at the broker if it subscribes or queries. */
    private void abandon(Pending p) {
        router.untrack(p);
        Route r = p.route();
        if (router.unregister(r)) {
            r.end(null);
            cancelAtBroker(r);
        }
    }

    /** Sends the unsubscribe that cancels a subscription or query at the broker. */
    private void cancelAtBroker(Route r) {
        if (r.isSubscription()) {
            sendUnsubscribe(r.id(), null);
        } else if (r.isQuery()) {
            sendUnsubscribe(null, r.id());
        }
    }

    private static FaradException rethrowable(Throwable t) {
        if (t instanceof FaradException fe) {
            // Rethrown on the caller's thread: keep the receive thread's trace as the cause.
            return fe;
        }
        return new FaradException("unexpected failure: " + t, null, t);
    }

    /** Completes a public future on the dispatch thread once the pending command is done. */
    private <T> CompletableFuture<T> onDispatch(Pending p, Duration timeout, String what,
            java.util.function.Function<Message, T> onSuccess) {
        CompletableFuture<Message> source = p.processed();
        if (!timeout.isZero()) {
            source = source.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        source.whenCompleteAsync((ack, error) -> {
            if (error == null) {
                try {
                    result.complete(onSuccess.apply(ack));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
                return;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException
                    && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                result.completeExceptionally(timedOut(p, timeout, what));
            } else {
                result.completeExceptionally(cause);
            }
        }, dispatcher::executeOrRun);
        return result;
    }

    private <T> CompletableFuture<T> completedOnDispatch(T value, Throwable error) {
        CompletableFuture<T> result = new CompletableFuture<>();
        dispatcher.executeOrRun(() -> {
            if (error == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    private void manage(MessageHandler handler, Command cmd) {
        SubscriptionManager manager = subscriptionManager;
        if (manager != null && cmd.protocolCommand().isSubscribe()) {
            manager.subscribe(handler, cmd);
        }
    }

    private void closeRoute(Prepared p) {
        if (p.pending == null) {
            return;
        }
        router.untrack(p.pending);
        Route r = p.pending.route();
        if (router.unregister(r)) {
            cancelAtBroker(r);
        }
    }

    private void sendUnsubscribe(String subId, String queryId) {
        Connection c = connection;
        if (c != null) {
            trySend(c, new Header().command(dev.farad.protocol.Command.UNSUBSCRIBE).commandId(newCommandId())
                    .subId(subId).queryId(queryId), null);
        }
    }

    private Connection requireConnection(String what) {
        Connection c = connection;
        if (c == null) {
            throw new DisconnectedException("client '" + name + "' is not connected (" + what + ")", null,
                    null);
        }
        return c;
    }

    /**
     * Sends on the current connection. If the send finds the connection dead, this thread reports
     * the loss (running the disconnect handler); if that reconnected, the send is retried once.
     *
     * @return the connection the frame went out on
     */
    private Connection send(Header h, byte[] data) {
        return send(h.commandName(), h, null, data);
    }

    /** {@link #send(Header, byte[])} for a frame given either as {@code h} or as an encoded header. */
    private Connection send(String what, Header h, byte[] headerJson, byte[] data) {
        Connection c = requireConnection(what);
        try {
            sendOn(c, what, h, headerJson, data);
            return c;
        } catch (DisconnectedException e) {
            c.reportLost(e);
            Connection now = connection;
            if (now == null || now == c || !now.isActive()) {
                throw e;
            }
            sendOn(now, what, h, headerJson, data);
            return now;
        }
    }

    private static void sendOn(Connection c, String what, Header h, byte[] headerJson, byte[] data) {
        if (h != null) {
            c.send(h, data);
        } else {
            c.sendEncoded(what, headerJson, data);
        }
    }

    /**
     * A plain publish with the header bytes of its topic reused from the last publish to that
     * topic; otherwise as {@link #send}.
     */
    private void sendPublish(String topic, byte[] data) {
        PublishHeader ph = lastPublishHeader;
        if (ph == null || !ph.topic.equals(topic)) {
            ph = new PublishHeader(topic, dev.farad.protocol.Frames.encodeHeader(new Header().command(dev.farad.protocol.Command.PUBLISH)
                    .topic(topic)));
            lastPublishHeader = ph;
        }
        send("publish", null, ph.json, data);
    }

    /** A topic and its encoded publish header; one is kept, for the topic published to last. */
    private record PublishHeader(String topic, byte[] json) {}

    /** Sends if possible; never throws and never runs the disconnect handler. */
    private static boolean trySend(Connection c, Header h, byte[] data) {
        try {
            c.send(h, data);
            return true;
        } catch (FaradException e) {
            return false;
        }
    }

    /**
     * Throws {@link UsageException} on the threads where waiting for a reply would deadlock or stall
     * this client: its dispatch thread (except inside the disconnect handler) and the receive thread
     * of its live connection.
     */
    final void checkBlockingAllowed(String what) {
        if (dispatcher.inDispatchThread() && !inDisconnectHandler.get()) {
            throw new UsageException(what + " blocks and cannot be called from a handler or listener of"
                    + " client '" + name + "' (it runs on the dispatch thread): use the *Async or"
                    + " executeFuture form instead");
        }
        Connection c = connection;
        if (c != null && c.inReceiveThread()) {
            throw new UsageException(what + " blocks and cannot be called on the receive thread of client '"
                    + name + "'");
        }
    }

    private void checkNotClosed() {
        if (closed.get()) {
            throw new UsageException("client '" + name + "' is closed");
        }
    }

    // ---------------------------------------------------------------- state, listeners, errors

    /**
     * Whether a reconnect is under way on another thread, so a loss that leaves the client
     * disconnected once the disconnect handler returns is not a shutdown. {@link HAClient} overrides it.
     */
    boolean recovering() {
        return false;
    }

    /** How many logons succeeded so far. */
    final long logonCount() {
        return logons.get();
    }

    /** Whether {@link #close()} was called. */
    final boolean isClosed() {
        return closed.get();
    }

    final void broadcast(ConnectionState state) {
        if (stateListeners.isEmpty()) {
            return;
        }
        ConnectionEvent event = new ConnectionEvent(state, uriText);
        dispatcher.execute(() -> {
            for (ConnectionStateListener l : stateListeners) {
                try {
                    l.onConnectionStateChanged(event);
                } catch (Throwable t) {
                    reportException(t);
                }
            }
        });
    }

    private void broadcastIfConnected(ConnectionState state) {
        synchronized (stateLock) {
            if (isConnected()) {
                broadcast(state);
            }
        }
    }

    /** Hands an absorbed exception to the exception listener (on the calling thread). */
    final void reportException(Throwable t) {
        ExceptionListener l = exceptionListener;
        if (l == null) {
            return;
        }
        try {
            l.onException(t);
        } catch (Throwable again) {
            System.err.println("farad client '" + name + "': exception listener threw");
            again.printStackTrace();
        }
    }

    /** Closes a connection whose logon failed; reports DISCONNECTED, runs no handler. */
    private void dropConnection(Connection c) {
        synchronized (stateLock) {
            if (connection != c) {
                return;
            }
            connection = null;
            c.close();
            broadcast(ConnectionState.DISCONNECTED);
        }
        router.failAll(c, () -> new DisconnectedException("connection to " + c.uri() + " closed after failed logon",
                null, null));
    }

    /** The loss of a connection, on the thread that detected it. */
    private void onConnectionLost(Connection c, Throwable cause) {
        boolean wasLoggedOn;
        synchronized (stateLock) {
            if (connection != c) {
                return;
            }
            connection = null;
            wasLoggedOn = c.loggedOn();
            broadcast(ConnectionState.DISCONNECTED);
        }
        DisconnectedException lost = new DisconnectedException("connection to " + c.uri() + " lost: "
                + (cause == null ? "closed" : cause.getMessage()), null, cause);
        if (cause instanceof StreamException) {
            reportException(cause);
        }
        router.endAll(lost);
        if (!wasLoggedOn) {
            router.failAll(c, () -> new DisconnectedException("connection to " + c.uri() + " lost while waiting"
                    + " for a reply", null, cause));
            return;
        }
        DisconnectHandler handler = disconnectHandler;
        if (handler != null && !closed.get()) {
            boolean outer = inDisconnectHandler.get();
            inDisconnectHandler.set(true);
            try {
                handler.onDisconnect(this);
            } catch (Throwable t) {
                reportException(t);
            } finally {
                inDisconnectHandler.set(outer);
            }
        }
        router.failAll(c, () -> new DisconnectedException("connection to " + c.uri() + " lost while waiting for"
                + " a reply", null, cause));
        if (!closed.get() && !isConnected() && !recovering()) {
            broadcast(ConnectionState.SHUTDOWN);
            reportException(new DisconnectedException("reconnect failed: client '" + name
                    + "' is not connected after losing " + c.uri(), null, lost));
        }
    }

    // ---------------------------------------------------------------- inbound

    /** Gives the router this client's current handlers and store. */
    private final class RouterHooks implements Router.Hooks {
        @Override
        public MessageHandler lastChanceHandler() {
            return lastChanceHandler;
        }

        @Override
        public FailedWriteHandler failedWriteHandler() {
            return failedWriteHandler;
        }

        @Override
        public PublishStore publishStore() {
            return publishStore;
        }

        @Override
        public void reportException(Throwable t) {
            Client.this.reportException(t);
        }

        @Override
        public long replayedUpTo() {
            return replayedUpTo;
        }
    }

    /** Receives frames and the end of each connection. */
    private final class ConnectionEvents implements Connection.Listener {
        @Override
        public void onFrame(Connection c, Frame frame) {
            try {
                route(c, frame);
            } catch (Throwable t) {
                reportException(t);
            } finally {
                frame.release();
            }
        }

        @Override
        public void onReadComplete(Connection c) {
            dispatcher.wakeUp();
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            dispatcher.wakeUp();
            onConnectionLost(c, cause);
        }
    }

    /** Routes one inbound frame; runs on the receive thread. */
    private void route(Connection c, Frame frame) {
        Header h = frame.header();
        switch (h.command()) {
            case ACK:
                router.onAck(Messages.from(frame));
                break;
            case HEARTBEAT:
                if (!heartbeatInterval.isZero()) {
                    trySend(c, beat(), null);
                } else {
                    router.lastChance(Messages.from(frame));
                }
                break;
            case PUBLISH:
            case DELTA_PUBLISH:
            case OOF:
            case SOW:
            case GROUP_BEGIN:
            case GROUP_END:
                router.onDelivery(frame);
                break;
            default:
                router.lastChance(Messages.from(frame));
        }
    }

    @Override
    public String toString() {
        return "Client{" + name + (uriText == null ? "" : ", " + uriText) + (isLoggedOn() ? ", logged on" : "")
                + '}';
    }

    // ---------------------------------------------------------------- State of the World

    /**
     * Queries the State of the World of {@code topic} (a name or a regular expression) and returns
     * the records as a stream: a {@code group_begin} message, one {@code sow} message per record
     * (with {@link Message#sowKey()}), a {@code group_end} message; the stream ends after the
     * query completes. Blocks until the broker accepted the query.
     *
     * @param filter a content filter, or {@code null} for every record
     * @throws dev.farad.client.exceptions.InvalidTopicException if the topic has no State of the World
     * @throws dev.farad.client.exceptions.BadFilterException for a bad filter
     * @throws TimedOutException if the broker does not accept the query in time
     * @throws UsageException on a dispatch or receive thread of this client
     */
    public MessageStream sow(String topic, String filter) {
        return execute(new Command("sow").topic(Objects.requireNonNull(topic, "topic")).filter(filter));
    }

    /**
     * Queries the State of the World, delivering {@code group_begin}, each record and {@code
     * group_end} to {@code handler} on the dispatch thread; returns once the query is accepted.
     * Options such as ordering and limits are on {@link Command} ({@code orderBy}, {@code topN},
     * {@code batchSize}) via {@link #executeAsync}.
     *
     * @return the query id
     * @throws dev.farad.client.exceptions.CommandException subclasses for the broker's failure reasons
     * @throws TimedOutException if the broker does not accept the query in time
     */
    public CommandId sow(MessageHandler handler, String topic, String filter, Duration timeout) {
        return executeAsync(new Command("sow").topic(Objects.requireNonNull(topic, "topic")).filter(filter)
                .timeout(timeout), handler);
    }

    /**
     * Queries and subscribes atomically: the stream yields the current records (between {@code
     * group_begin} and {@code group_end}), then every later matching publish. No publish is both
     * in the result and live, and none falls between them. Closing the stream unsubscribes.
     *
     * @throws dev.farad.client.exceptions.CommandException subclasses for the broker's failure reasons
     * @throws TimedOutException if the broker does not accept the subscription in time
     */
    public MessageStream sowAndSubscribe(String topic, String filter) {
        return execute(new Command("sow_and_subscribe").topic(Objects.requireNonNull(topic, "topic"))
                .filter(filter));
    }

    /**
     * Queries and subscribes atomically, delivering the records and then live messages to {@code
     * handler} on the dispatch thread.
     *
     * @return the subscription id
     * @throws dev.farad.client.exceptions.CommandException subclasses for the broker's failure reasons
     * @throws TimedOutException if the broker does not accept the subscription in time
     */
    public CommandId sowAndSubscribe(MessageHandler handler, String topic, String filter, Duration timeout) {
        return executeAsync(new Command("sow_and_subscribe").topic(Objects.requireNonNull(topic, "topic"))
                .filter(filter).timeout(timeout), handler);
    }

    /**
     * Deletes the records with the given keys (as in {@link Message#sowKey()}, comma separated).
     * Unlike {@link #sowDelete(String, String)}, waits until the broker has processed it, so a
     * bad key or topic is thrown here.
     *
     * @throws dev.farad.client.exceptions.CommandException subclasses for the broker's failure reasons
     * @throws DisconnectedException if not connected
     */
    public CommandId sowDeleteByKeys(String topic, String keys) {
        return executeAsync(new Command("sow_delete").topic(Objects.requireNonNull(topic, "topic"))
                .sowKeys(Objects.requireNonNull(keys, "keys")), m -> { });
    }

    /**
     * Deletes the record whose key {@code data} would have (the data of a message on a keyed
     * topic); waits until the broker has processed it, like {@link #sowDeleteByKeys}.
     *
     * @throws dev.farad.client.exceptions.CommandException subclasses for the broker's failure reasons
     * @throws DisconnectedException if not connected
     */
    public CommandId sowDeleteByData(String topic, byte[] data) {
        return executeAsync(new Command("sow_delete").topic(Objects.requireNonNull(topic, "topic"))
                .data(Objects.requireNonNull(data, "data")), m -> { });
    }

    // ---------------------------------------------------------------- transaction log (issue 5)

    /**
     * Subscribes {@code handler} to {@code topic} starting at {@code bookmark} in the broker's
     * transaction log: the broker replays the logged messages after that point in log order, then
     * continues live with no gap and no duplicate. Each delivery carries its bookmark
     * ({@link Message#bookmark()}), which a later call can resume after.
     *
     * @param bookmark {@code "0"} (replay everything), {@code "0|1|"} (only new messages), a
     *     bookmark from a delivery (resume after it), a UTC timestamp {@code YYYYmmddTHHMMSS[Z]},
     *     or a comma list of these (the earliest wins)
     * @param filter the content filter, or {@code null}
     * @return the subscription id
     * @throws dev.farad.client.exceptions.CommandException subclasses for the broker's failure
     *     reasons ({@code invalid bookmark}, {@code invalid topic} when the topic is not logged, ...)
     * @throws TimedOutException if the broker does not acknowledge within {@code timeout}
     * @throws DisconnectedException if not connected or the connection is lost meanwhile
     */
    public CommandId bookmarkSubscribe(MessageHandler handler, String topic, String bookmark, String filter,
            Duration timeout) {
        Objects.requireNonNull(bookmark, "bookmark");
        return executeAsync(subscribeCommand(topic, filter).bookmark(bookmark).timeout(timeout), handler);
    }

}
