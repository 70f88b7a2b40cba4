package dev.farad.client;

import dev.farad.client.exceptions.AlreadyConnectedException;
import dev.farad.client.exceptions.CommandException;
import dev.farad.client.exceptions.ConnectionException;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.FaradException;
import dev.farad.client.exceptions.PublishFlushTimedOutException;
import dev.farad.client.exceptions.ReconnectMaximumExceededException;
import dev.farad.client.exceptions.SubscriptionAlreadyExistsException;
import dev.farad.client.exceptions.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Client} that keeps itself connected: it picks servers from a {@link ServerChooser},
 * reconnects after any loss with a {@link ReconnectDelayStrategy}, replays its publish store and
 * re-enters its subscriptions (with a {@link MemorySubscriptionManager} by default), and resumes
 * bookmark subscriptions from its {@link BookmarkStore}.
 *
 * <pre>{@code
 * try (HAClient client = HAClient.memoryBacked("order-router")) {
 *     client.setServerChooser(new DefaultServerChooser("tcp://a:9007/amps/json", "tcp://b:9007/amps/json"));
 *     client.setHeartbeat(Duration.ofSeconds(5));
 *     client.connectAndLogon();
 *     client.subscribe(this::onOrder, "orders", "/qty > 100", Duration.ofSeconds(5));
 *     client.publish("orders", payload);
 *     client.publishFlush(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p><b>Lifecycle and states.</b> {@link #connectAndLogon()} loops on the calling thread until a
 * server accepts: per attempt it reports {@code CONNECTED}, {@code LOGGED_ON}, then {@code
 * HEARTBEAT_INITIATED} (heartbeat set), {@code PUBLISH_REPLAYED} (publish store set) and {@code
 * RESUBSCRIBED} (always, as a subscription manager is set); a failed attempt after the connect
 * reports {@code DISCONNECTED}. When a logged-on connection is lost the client reports {@code
 * DISCONNECTED} and its reconnect thread ({@code farad-client-reconnect-<n>}) runs the same loop.
 * {@link #close()} and giving up (the delay strategy's maximum retry time) report {@code SHUTDOWN}.
 * {@link #logon()} is not for an HA client: it throws {@link UsageException}.
 *
 * <p><b>Guarantees.</b> With a publish store every publish and SOW delete carries a sequence and
 * stays stored until the broker reports it persisted; after each logon the client discards what
 * the broker already has and replays the rest in order. {@link #publishFlush(Duration)} waits for
 * that across reconnects. Asynchronous subscriptions come back after every reconnect; a bookmark
 * subscription resumes where its handler got to, with duplicates filtered out. See {@code
 * docs/HA.md}.
 *
 * <p><b>Threads.</b> As {@link Client}; in addition the reconnect loop runs on its own thread after
 * a loss, so neither the receive thread nor the application thread whose send failed is held up.
 * Publishes made while disconnected are stored (subject to the store's bound) and sent at the next
 * logon; without a store they throw {@link DisconnectedException}. Thread-safe.
 *
 * <p><b>Pitfalls.</b> {@link #setDisconnectHandler} replaces the automatic reconnection entirely.
 * Use the same client name for the same publish store: the broker de-duplicates by name and
 * sequence.
 */
public class HAClient extends Client {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final AtomicLong SUB_IDS = new AtomicLong();
    private static final Duration DEFAULT_LOGON_TIMEOUT = Duration.ofSeconds(10);

    /** Waits between attempts; tests inject one that does not. */
    interface Sleeper {
        void sleep(Duration delay) throws InterruptedException;
    }

    private final Object recoveryLock = new Object();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final List<AutoCloseable> owned = new ArrayList<>();
    // Guarded by recoveryLock.
    private boolean recovering;
    // Guarded by recoveryLock.
    private Thread reconnectThread;
    // Guarded by recoveryLock: subscribes that lost their connection during a recovery, to place
    // once it is done in case its resubscription ran before they were recorded.
    private final List<Map.Entry<Command, MessageHandler>> unplaced = new ArrayList<>();
    // The thread running the connect loop, or null.
    private volatile Thread loopThread;

    private volatile ServerChooser serverChooser;
    private volatile ReconnectDelayStrategy delayStrategy = new ExponentialDelayStrategy();
    private volatile Duration logonTimeout = DEFAULT_LOGON_TIMEOUT;
    private volatile BookmarkStore bookmarkStore;
    private volatile MessageHandler duplicateMessageHandler;
    private volatile Sleeper sleeper = delay -> {
        if (!delay.isZero() && closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new InterruptedException("client closed");
        }
    };

    /** An HA client with a {@link MemorySubscriptionManager}, no stores, and no server chooser yet. */
    public HAClient(String name) {
        super(name);
        setSubscriptionManager(new MemorySubscriptionManager());
        setDisconnectHandler(client -> onLost());
    }

    /** An HA client with a {@link MemoryPublishStore} and a {@link MemoryBookmarkStore}. */
    public static HAClient memoryBacked(String name) {
        HAClient client = new HAClient(name);
        client.setPublishStore(new MemoryPublishStore());
        client.setBookmarkStore(new MemoryBookmarkStore());
        return client;
    }

    /**
     * An HA client with a {@link FilePublishStore} and a {@link FileBookmarkStore} (both closed by
     * {@link #close()}), so that a restarted process resumes publishing and subscribing.
     *
     * @throws dev.farad.client.exceptions.StoreException if a store file is in use or unreadable
     */
    public static HAClient fileBacked(String name, Path publishStorePath, Path bookmarkStorePath) {
        FilePublishStore publishStore = FilePublishStore.open(publishStorePath);
        FileBookmarkStore bookmarks;
        try {
            bookmarks = FileBookmarkStore.open(bookmarkStorePath);
        } catch (RuntimeException e) {
            publishStore.close();
            throw e;
        }
        HAClient client = new HAClient(name);
        client.setPublishStore(publishStore);
        client.setBookmarkStore(bookmarks);
        client.owned.add(publishStore);
        client.owned.add(bookmarks);
        return client;
    }

    // ---------------------------------------------------------------- settings

    /** Sets where to connect; required before {@link #connectAndLogon()}. */
    public void setServerChooser(ServerChooser chooser) {
        this.serverChooser = chooser;
    }

    /** The server chooser, or {@code null}. */
    public ServerChooser serverChooser() {
        return serverChooser;
    }

    /** Sets the reconnect delay strategy (default: {@link ExponentialDelayStrategy}). */
    public void setReconnectDelayStrategy(ReconnectDelayStrategy strategy) {
        this.delayStrategy = Objects.requireNonNull(strategy, "strategy");
    }

    /** The reconnect delay strategy. */
    public ReconnectDelayStrategy reconnectDelayStrategy() {
        return delayStrategy;
    }

    /** Shorthand for a {@link FixedDelayStrategy} with {@code delay} that never gives up. */
    public void setReconnectDelay(Duration delay) {
        setReconnectDelayStrategy(new FixedDelayStrategy(delay, Duration.ZERO));
    }

    /** Sets how long each logon waits for its acknowledgement (10 s by default). */
    public void setLogonTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("logonTimeout must be >= 0 but was " + timeout);
        }
        this.logonTimeout = timeout;
    }

    /** Sets the bookmark store used by bookmark subscriptions; {@code null} for none. */
    public void setBookmarkStore(BookmarkStore store) {
        this.bookmarkStore = store;
    }

    /** The bookmark store, or {@code null}. */
    public BookmarkStore bookmarkStore() {
        return bookmarkStore;
    }

    /**
     * Sets the handler for bookmark-subscription messages the bookmark store reports as already
     * processed; {@code null} drops them. Called on the dispatch thread.
     */
    public void setDuplicateMessageHandler(MessageHandler handler) {
        this.duplicateMessageHandler = handler;
    }

    /**
     * Sets the handler for subscriptions the broker refuses to take back after a reconnect; needs
     * the default {@link MemorySubscriptionManager}.
     *
     * @throws UsageException if another subscription manager is set
     */
    public void setFailedResubscribeHandler(FailedResubscribeHandler handler) {
        if (!(subscriptionManager() instanceof MemorySubscriptionManager m)) {
            throw new UsageException("setFailedResubscribeHandler needs a MemorySubscriptionManager but the"
                    + " subscription manager is " + subscriptionManager());
        }
        m.setFailedResubscribeHandler(handler);
    }

    void setSleeper(Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    // ---------------------------------------------------------------- connect

    /** Not for an HA client: use {@link #connectAndLogon()}. */
    @Override
    public void logon() {
        throw notLogon();
    }

    /** Not for an HA client: use {@link #connectAndLogon()}. */
    @Override
    public void logon(Duration timeout) {
        throw notLogon();
    }

    private UsageException notLogon() {
        return new UsageException("logon() is not for HAClient '" + name()
                + "': call connectAndLogon(), which picks the server, logs on and recovers");
    }

    /**
     * Connects to the server the chooser names, logs on and recovers (replays the publish store,
     * re-enters subscriptions), trying again per the delay strategy until it succeeds. Blocks.
     *
     * @throws ConnectionException if no server chooser is set, or it names no server
     * @throws ReconnectMaximumExceededException when the delay strategy gives up (the client then
     *     reports {@code SHUTDOWN}); every server's last failure is attached as suppressed
     * @throws UsageException if the client is closed or already connecting, or on a dispatch or
     *     receive thread of this client
     * @throws AlreadyConnectedException if it is connected already
     */
    public void connectAndLogon() {
        checkBlockingAllowed("connectAndLogon");
        if (isClosed()) {
            throw new UsageException("client '" + name() + "' is closed");
        }
        if (serverChooser == null) {
            throw new ConnectionException("no server chooser registered on HAClient '" + name()
                    + "': call setServerChooser first", null, null);
        }
        synchronized (recoveryLock) {
            if (recovering) {
                throw new UsageException("HAClient '" + name() + "' is already connecting");
            }
            if (isConnected()) {
                throw new AlreadyConnectedException("HAClient '" + name() + "' is already connected to " + uri(),
                        null, null);
            }
            recovering = true;
        }
        try {
            connectLoop();
        } catch (RuntimeException e) {
            synchronized (recoveryLock) {
                recovering = false;
            }
            if (e instanceof ReconnectMaximumExceededException) {
                broadcast(ConnectionState.SHUTDOWN);
            }
            throw e;
        }
    }

    /** The disconnect handler: hands recovery to the reconnect thread, unless a loop already runs. */
    private void onLost() {
        Thread t;
        synchronized (recoveryLock) {
            if (recovering || closingOrClosed()) {
                return;
            }
            recovering = true;
            t = new Thread(this::recoverInBackground, "farad-client-reconnect-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            reconnectThread = t;
        }
        t.start();
    }

    private void recoverInBackground() {
        try {
            connectLoop();
        } catch (RuntimeException e) {
            synchronized (recoveryLock) {
                recovering = false;
                reconnectThread = null;
            }
            if (!closingOrClosed()) {
                reportException(e);
                broadcast(ConnectionState.SHUTDOWN);
            }
        }
    }

    /** Whether {@link #close()} has begun: the reconnect loop must stop and report nothing. */
    private boolean closingOrClosed() {
        return closing.getCount() == 0 || isClosed();
    }

    @Override
    boolean recovering() {
        synchronized (recoveryLock) {
            return recovering;
        }
    }

    /**
     * Tries servers until one accepts and recovery completes, then clears {@code recovering} -
     * unless the connection was lost again meanwhile, in which case it goes on.
     */
    private void connectLoop() {
        loopThread = Thread.currentThread();
        try {
            attemptUntilRecovered();
        } finally {
            loopThread = null;
        }
    }

    private void attemptUntilRecovered() {
        Map<String, FaradException> failures = new LinkedHashMap<>();
        while (true) {
            if (closingOrClosed()) {
                throw new DisconnectedException("client '" + name() + "' closed while reconnecting", null, null);
            }
            ServerChooser chooser = serverChooser;
            String uri = chooser == null ? null : chooser.currentUri();
            if (uri == null) {
                throw new ConnectionException("no servers available: the server chooser of HAClient '" + name()
                        + "' named none", null, null);
            }
            Duration delay;
            try {
                delay = delayStrategy.delayBefore(uri);
            } catch (ReconnectMaximumExceededException e) {
                failures.values().forEach(e::addSuppressed);
                throw e;
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DisconnectedException("interrupted while waiting to reconnect HAClient '" + name()
                        + "'", null, e);
            }
            long logonsBefore = logonCount();
            try {
                disconnect();
                connect(uri);
                logonInternal(logonTimeout);
            } catch (FaradException caught) {
                FaradException e = caught;
                if (e instanceof DisconnectedException && logonCount() == logonsBefore) {
                    // Dropped before the logon completed: the server is not usable, so move on.
                    e = new ConnectionException("server " + dev.farad.protocol.FaradUri.redact(uri) + " closed the connection before the logon of"
                            + " HAClient '" + name() + "' completed", null, caught);
                }
                failures.put(uri, e);
                reportException(e);
                disconnect();
                chooser.reportFailure(e, uri);
                continue;
            }
            if (finishRecovery()) {
                failures.clear();
                chooser.reportSuccess(uri);
                delayStrategy.reset();
                return;
            }
        }
    }

    /**
     * Ends recovery if still logged on; first places the subscribes that lost their connection
     * during it (the resubscription may have run before they were recorded).
     *
     * @return whether recovery is complete; {@code false} sends the loop round again
     */
    private boolean finishRecovery() {
        while (true) {
            List<Map.Entry<Command, MessageHandler>> toPlace;
            synchronized (recoveryLock) {
                if (!isLoggedOn()) {
                    return false;
                }
                if (unplaced.isEmpty()) {
                    recovering = false;
                    reconnectThread = null;
                    return true;
                }
                toPlace = new ArrayList<>(unplaced);
                unplaced.clear();
            }
            for (Map.Entry<Command, MessageHandler> e : toPlace) {
                try {
                    super.executeAsync(e.getKey(), e.getValue());
                } catch (SubscriptionAlreadyExistsException placedByResubscribe) {
                    // the resubscription saw it after all
                } catch (CommandException refused) {
                    reportException(refused);
                } catch (FaradException failed) {
                    reportException(failed);
                    disconnect();
                    return false;
                }
            }
        }
    }

    // ---------------------------------------------------------------- bookmarks

    /**
     * {@inheritDoc}
     *
     * <p>On an HA client a subscription without a sub id gets one that survives reconnects, and a
     * subscription with a bookmark and a bookmark store set resolves {@link
     * BookmarkStore#MOST_RECENT} and filters duplicates through the store. If the connection is
     * lost before the broker acknowledges a subscription, no {@link DisconnectedException} is
     * thrown: the subscription manager keeps it and the client places it once it has reconnected.
     */
    @Override
    public CommandId executeAsync(Command command, MessageHandler handler) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(handler, "handler");
        if (!command.protocolCommand().isSubscribe()) {
            return super.executeAsync(command, handler);
        }
        Command cmd = command.copy();
        if (cmd.subId() == null) {
            cmd.subId("ha-" + SUB_IDS.incrementAndGet());
        }
        BookmarkStore store = bookmarkStore;
        MessageHandler h = handler;
        if (cmd.bookmark() != null && store != null) {
            if (BookmarkStore.MOST_RECENT.equals(cmd.bookmark())) {
                cmd.bookmark(store.mostRecent(cmd.subId()));
            }
            if (!(handler instanceof BookmarkTracker)) {
                h = new BookmarkTracker(cmd.subId(), handler);
            }
        } else if (BookmarkStore.MOST_RECENT.equals(cmd.bookmark())) {
            cmd.bookmark(BookmarkStore.EPOCH);
        }
        try {
            return super.executeAsync(cmd, h);
        } catch (DisconnectedException lost) {
            return absorbLostSubscribe(cmd, h, lost);
        }
    }

    /**
     * A subscribe lost its connection before the broker acknowledged it: the subscription
     * manager keeps it and the recovery places it, as for any other subscription. On the connect
     * loop's own thread (resubscribing), or without a manager, the loss is thrown.
     */
    private CommandId absorbLostSubscribe(Command cmd, MessageHandler h, DisconnectedException lost) {
        SubscriptionManager manager = subscriptionManager();
        if (manager == null || Thread.currentThread() == loopThread || closingOrClosed()) {
            throw lost;
        }
        boolean stillRecovering;
        synchronized (recoveryLock) {
            manager.subscribe(h, cmd);
            stillRecovering = recovering;
            if (stillRecovering) {
                unplaced.add(Map.entry(cmd, h));
            }
        }
        if (!stillRecovering && isLoggedOn()) {
            // Recovered in the meantime: place it now.
            return super.executeAsync(cmd, h);
        }
        return new CommandId(cmd.subId());
    }

    /** Wraps a bookmark subscription's handler: drops duplicates, logs and discards the rest. */
    private final class BookmarkTracker implements MessageHandler {
        private final String subId;
        private final MessageHandler delegate;

        BookmarkTracker(String subId, MessageHandler delegate) {
            this.subId = subId;
            this.delegate = delegate;
        }

        @Override
        public void onMessage(Message m) {
            BookmarkStore store = bookmarkStore;
            String bm = m.bookmark();
            if (store == null || bm == null || !"publish".equals(m.command())) {
                delegate.onMessage(m);
                return;
            }
            if (store.isDiscarded(subId, bm)) {
                MessageHandler dup = duplicateMessageHandler;
                if (dup != null) {
                    dup.onMessage(m);
                }
                return;
            }
            store.log(subId, bm);
            try {
                delegate.onMessage(m);
            } finally {
                store.discard(subId, bm);
            }
        }
    }

    // ---------------------------------------------------------------- publish flush

    /**
     * Waits until every write published before the call is persisted by the broker, across
     * reconnects: with a publish store, until the store no longer holds any write up to the last
     * sequence assigned before the call. Without a publish store, as {@link Client#publishFlush}
     * (on the current connection only).
     *
     * @throws PublishFlushTimedOutException after {@code timeout}, saying how many writes and which
     *     sequences are still unpersisted (they stay stored and are replayed after a reconnect)
     * @throws UsageException if the publish store is not an {@link AbstractPublishStore}, or on a
     *     dispatch or receive thread of this client
     */
    @Override
    public void publishFlush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        checkBlockingAllowed("publishFlush");
        PublishStore store = publishStore();
        if (store == null) {
            super.publishFlush(timeout);
            return;
        }
        if (!(store instanceof AbstractPublishStore s)) {
            throw new UsageException("publishFlush needs a publish store derived from AbstractPublishStore but"
                    + " HAClient '" + name() + "' has " + store);
        }
        long upTo = s.lastSequence();
        List<Long> left;
        try {
            left = s.awaitPersisted(upTo, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaradException("interrupted in publishFlush of HAClient '" + name() + "'", null, e);
        }
        if (!left.isEmpty()) {
            long first = left.get(0);
            long last = left.get(left.size() - 1);
            throw new PublishFlushTimedOutException("timed out waiting for flush: after " + timeout + ", "
                    + left.size() + " write(s) of HAClient '" + name() + "' with sequences " + first + ".." + last
                    + " are not persisted yet", left.size(), first, last);
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * Stops reconnecting, then closes as {@link Client#close()} does, and closes the stores the
     * {@link #fileBacked} factory opened. Idempotent.
     */
    @Override
    public void close() {
        closing.countDown();
        Thread t;
        synchronized (recoveryLock) {
            t = reconnectThread;
        }
        super.close();
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (owned) {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    reportException(e);
                }
            }
            owned.clear();
        }
    }
}
