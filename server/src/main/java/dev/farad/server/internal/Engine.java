package dev.farad.server.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.farad.filter.FilterLimits;
import dev.farad.filter.FilterSyntaxException;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.protocol.HeaderCodec;
import dev.farad.protocol.Reason;
import dev.farad.server.Authenticator;
import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.TxLogConfig;
import dev.farad.store.Bookmarks;
import dev.farad.store.DurabilityListener;
import dev.farad.store.FileTransactionLog;
import dev.farad.store.InvalidBookmarkFormatException;
import dev.farad.store.LogReader;
import dev.farad.store.LogRecord;
import dev.farad.store.SowRecord;
import dev.farad.store.TransactionLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's single owner of shared state: client names, subscriptions and the topic index.
 *
 * <p>I/O threads {@link #submit} decoded frames and connection events; the engine thread
 * ({@code farad-engine-0}) takes them in arrival order, in batches. Replies and deliveries are
 * written into each target connection's pending buffer; at the end of a batch each touched
 * connection's buffer is handed to its channel with one write and one flush. One thread means
 * every subscription sees messages in one order, with no locks on the routing path.
 *
 * <p>Back-pressure: when more than {@link #HIGH_WATER} tasks wait, the I/O thread that submitted
 * stops reading from its channel; the engine resumes paused channels once the queue drains below
 * {@link #LOW_WATER}.
 *
 * <p>Transaction log (when configured): a publish, delta_publish or sow_delete on a logged topic
 * is appended to the log here, on the engine thread; its live delivery and its {@code persisted}
 * ack wait in {@link #awaiting} until the log's writer reports the sequence durable, which it
 * does by submitting a {@link Durable} task to this engine. Bookmark subscriptions replay the log
 * through {@link ReplayCursor}s, paced like SOW queries.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("dev.farad.server.Engine");

    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 16 * 1024;
    private static final int MAX_BATCH = 4096;
    private static final int EARLY_FLUSH_BYTES = 256 * 1024;
    private static final byte[] DELIVERY_PREFIX = "{\"c\":\"p\",\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIDS_KEY = ",\"sids\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CORRELATION_KEY = ",\"x\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOW_KEY_KEY = ",\"k\":".getBytes(StandardCharsets.US_ASCII);
    private static final int DEFAULT_BATCH_SIZE = 10;
    private static final int QUERY_CHUNK_BYTES = 256 * 1024;
    private static final String VERSION = "farad-0.1.0";

    /** A frame for the engine, or a connection event. */
    record Inbound(Connection connection, Frame frame) {}

    record Opened(Connection connection) {}

    record Closed(Connection connection) {}

    /** Wakes the engine for SOW expiry when it runs on an event loop. */
    private static final Object EXPIRY_TICK = new Object();

    /** The log's writer made everything up to {@code sequence} durable. */
    record Durable(long sequence) {}

    /** The log's writer could not write {@code from..to}; those records are not in the log. */
    record Failed(long from, long to, IOException cause) {}

    private static final byte[] BOOKMARK_KEY = ",\"bm\":".getBytes(StandardCharsets.US_ASCII);
    private static final int REPLAY_MAX_RECORDS_PER_STEP = 16 * 1024;

    private final BrokerConfig config;
    private final ByteBufAllocator alloc;
    private final MpscUnboundedXaddArrayQueue<Object> queue = new MpscUnboundedXaddArrayQueue<>(4096);
    private final ConcurrentLinkedQueue<Channel> paused = new ConcurrentLinkedQueue<>();
    /** The engine's own thread, or {@code null} when it runs on {@link #home}. */
    private final Thread thread;
    /** The I/O event loop the engine runs on as tasks, or {@code null} when it has its own thread. */
    private final EventLoop home;
    private final AtomicBoolean batchScheduled = new AtomicBoolean();
    private final Runnable batchTask = this::runScheduledBatch;
    /** Home mode: a retry of waiting queries and replays is scheduled. Engine-thread state. */
    private boolean retryScheduled;
    private volatile boolean sleeping;
    private volatile boolean running = true;

    // Engine-thread state.
    private final TopicIndex index = new TopicIndex();
    private final Map<String, Connection> byName = new HashMap<>();
    private final Map<String, Long> lastPublisherSequence = new HashMap<>();
    private final List<Connection> flushList = new ArrayList<>();
    private final List<Connection> targets = new ArrayList<>();
    private final List<CompletableFuture<Void>> afterFlush = new ArrayList<>();
    private final StateOfTheWorld sow;
    private final List<Connection> querying = new ArrayList<>();
    private final List<ReplayCursor> replays = new ArrayList<>();
    /** Waiting for durability, in log-sequence order. */
    private final ArrayDeque<Awaiting> awaiting = new ArrayDeque<>();
    /** Connections with a conflated persisted ack to send at the end of a durability event. */
    private final List<Connection> persistedTargets = new ArrayList<>();
    /** Highest publisher sequence accepted per client name on logged topics, durable or in flight. */
    private final Map<String, Long> publisherHigh = new HashMap<>();
    private final LoggedTopics logged;
    private TransactionLog txlog;
    /** Highest durable sequence this engine has processed a {@link Durable} for. */
    private long durableSeen;
    private long messageNumber;
    /** The last publish topic that passed {@link TopicNames#publishProblem} (compared by identity). */
    private String lastGoodPublishTopic;
    private long sowSequence;
    private byte[] scratch = new byte[4096];
    private final Entitlements entitlements;
    private final FilterLimits filterLimits;

    /**
     * @param home the I/O event loop to run on, or {@code null} for a thread of its own
     *     ({@code farad-engine-0})
     */
    public Engine(BrokerConfig config, ByteBufAllocator alloc, EventLoop home) {
        this.config = config;
        this.home = home;
        this.alloc = alloc;
        this.sow = new StateOfTheWorld(config.sowTopics());
        this.logged = config.txLog() == null ? null : new LoggedTopics(config.txLog().topics());
        this.entitlements = Entitlements.forConfig(config);
        this.filterLimits = new FilterLimits(config.maxFilterLength(), config.maxFilterDepth(),
                config.maxRegexLength());
        this.thread = home != null ? null : new Thread(this::run, "farad-engine-0");
        if (thread != null) {
            thread.setDaemon(true);
        }
    }

    /**
     * Opens and recovers the transaction log (if configured), rebuilds the State of the World from
     * it, then starts the engine thread.
     *
     * @throws Broker.BrokerStartException if the log cannot be opened or is corrupted (the message
     *     names the file and offset)
     */
    public void start() {
        TxLogConfig tc = config.txLog();
        if (tc != null) {
            try {
                openLog(tc);
            } catch (IOException | RuntimeException e) {
                if (txlog != null) {
                    txlog.close();
                    txlog = null;
                }
                throw new Broker.BrokerStartException("cannot open the transaction log in " + tc.logDirectory()
                        + ": " + e.getMessage(), e);
            }
        }
        if (thread != null) {
            thread.start();
        } else if (!sow.isEmpty()) {
            // Expiry needs a pass even when no traffic arrives (the own thread wakes every 100 ms).
            home.scheduleAtFixedRate(() -> submit(EXPIRY_TICK), 100, 100, TimeUnit.MILLISECONDS);
        }
    }

    private void openLog(TxLogConfig tc) throws IOException {
        DurabilityListener listener = new DurabilityListener() {
            @Override
            public void onDurable(long highestDurableSequence) {
                submit(new Durable(highestDurableSequence));
            }

            @Override
            public void onFailure(long fromSequence, long toSequence, IOException cause) {
                submit(new Failed(fromSequence, toSequence, cause));
            }
        };
        long t0 = System.nanoTime();
        txlog = FileTransactionLog.open(tc.toLogConfig(), listener, tc.channels());
        durableSeen = txlog.durableSequence();
        long replayed = 0;
        if (!sow.isEmpty()) {
            try (LogReader reader = txlog.openReader(0)) {
                LogRecord r;
                while ((r = reader.next()) != null) {
                    replayed++;
                    recoverSow(r);
                }
            }
        }
        log.info("transaction log {} open: sequences {}..{}, {} records replayed into {} SOW records in {} ms",
                tc.logDirectory(), txlog.firstSequence(), txlog.durableSequence(), replayed, sow.recordCount(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /** Applies one recovered record to the State of the World (engine not running yet). */
    private void recoverSow(LogRecord r) {
        SowTopic st = sow.topic(r.topic());
        if (st == null) {
            return;
        }
        String key = r.sowKey();
        if (r.kind() == LogRecord.Kind.SOW_DELETE) {
            if (key != null) {
                sow.remove(st, key);
            }
            return;
        }
        if (key == null) {
            try {
                key = StateOfTheWorld.keyOf(st, r.payload(), null);
            } catch (IllegalArgumentException e) {
                return;
            }
        }
        long now = System.nanoTime();
        long expiresAt = SowRecord.NEVER;
        if (st.config.expiration() != null) {
            long ageNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(0,
                    TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()) - r.timestampMicros()));
            long left = st.config.expiration().toNanos() - ageNanos;
            if (left <= 0) {
                sow.remove(st, key);
                return;
            }
            expiresAt = now + left;
        }
        sow.put(st, new SowRecord(key, r.payload(), ++sowSequence, expiresAt, r.correlationId()));
    }

    /** Hands a task to the engine; callable from any thread. */
    void submit(Object task) {
        queue.offer(task);
        if (home != null) {
            if (!batchScheduled.get() && batchScheduled.compareAndSet(false, true)) {
                try {
                    home.execute(batchTask);
                } catch (RejectedExecutionException stopped) {
                    batchScheduled.set(false); // shutting down: close() releases what is queued
                }
            }
            return;
        }
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Completes once everything submitted before this call was handled and its writes were handed
     * to the channels (a clean shutdown waits for it before it closes connections).
     */
    CompletableFuture<Void> drained() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit((Runnable) () -> afterFlush.add(done));
        return done;
    }

    /** Called by an I/O thread after it submitted: stops reading when the engine is behind. */
    void throttle(Channel channel) {
        if (queue.size() > HIGH_WATER && channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
            paused.add(channel);
        }
    }

    /** The engine's own thread: batches until closed, sleeping when there is nothing to do. */
    private void run() {
        while (running) {
            if (runBatch() == 0) {
                sleeping = true;
                if (queue.isEmpty() && running) {
                    // Queries waiting for their connection to drain are retried soon.
                    LockSupport.parkNanos(querying.isEmpty() && replays.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(100)
                            : TimeUnit.MICROSECONDS.toNanos(200));
                }
                sleeping = false;
            }
        }
        releaseAll();
    }

    /**
     * One batch as a task on the home event loop. Submits from that loop's own reads land in the
     * same task queue, so everything read in one pass of the loop is routed in one batch and its
     * writes go straight to the sockets, with no thread hand-off or wake-up in between.
     */
    private void runScheduledBatch() {
        batchScheduled.set(false);
        if (!running) {
            return;
        }
        runBatch();
        if (!queue.isEmpty()) {
            if (batchScheduled.compareAndSet(false, true)) {
                home.execute(batchTask);
            }
        } else if ((!querying.isEmpty() || !replays.isEmpty()) && !retryScheduled) {
            retryScheduled = true;
            home.schedule(() -> {
                retryScheduled = false;
                runScheduledBatch();
            }, 200, TimeUnit.MICROSECONDS);
        }
    }

    /** Handles up to {@link #MAX_BATCH} tasks, advances queries and replays, and flushes; returns how many tasks it took. */
    private int runBatch() {
        int n = 0;
        Object task;
        while (n < MAX_BATCH && (task = queue.poll()) != null) {
            n++;
            try {
                handle(task);
            } catch (RuntimeException e) {
                log.error("engine failed on {}; the broker continues", task, e);
            }
        }
        if (!querying.isEmpty()) {
            advanceQueries();
        }
        if (!replays.isEmpty()) {
            advanceReplays();
        }
        if (!sow.isEmpty()) {
            sow.expire(System.nanoTime(), this::onExpired);
        }
        flushBatch();
        if (!afterFlush.isEmpty()) {
            afterFlush.forEach(f -> f.complete(null));
            afterFlush.clear();
        }
        if (!paused.isEmpty() && queue.size() < LOW_WATER) {
            Channel ch;
            while ((ch = paused.poll()) != null) {
                ch.config().setAutoRead(true);
            }
        }
        return n;
    }

    private void releaseAll() {
        Object task;
        while ((task = queue.poll()) != null) {
            if (task instanceof Inbound in) {
                in.frame().release();
            }
        }
        for (Connection c : flushList) {
            c.discardPending();
        }
        for (ReplayCursor r : replays) {
            r.reader.close();
        }
        replays.clear();
    }

    private void handle(Object task) {
        if (task instanceof Inbound in) {
            try {
                onFrame(in.connection(), in.frame());
            } finally {
                in.frame().release();
            }
        } else if (task instanceof Durable d) {
            onDurable(d.sequence());
        } else if (task instanceof Failed f) {
            onLogFailure(f.from(), f.to(), f.cause());
        } else if (task instanceof Closed cl) {
            cleanup(cl.connection());
        } else if (task instanceof Runnable r) {
            r.run();
        }
    }

    private void flushBatch() {
        for (int i = 0; i < flushList.size(); i++) {
            Connection c = flushList.get(i);
            if (c.closed) {
                c.inFlushList = false;
                c.discardPending();
                continue;
            }
            if (c.backlogBytes() > config.maxOutboundBytes()) {
                c.inFlushList = false;
                dropSlowClient(c);
                continue;
            }
            c.flushPending();
        }
        flushList.clear();
    }

    // ---------------------------------------------------------------- commands

    private void onFrame(Connection c, Frame f) {
        if (c.closed) {
            return;
        }
        Header h = f.header();
        if (AckType.RECEIVED.in(h.ackTypes())) {
            ack(c, h, AckType.RECEIVED, null);
        }
        Command cmd = h.command();
        if (cmd == Command.LOGON) {
            logon(c, h);
            return;
        }
        if (!c.loggedOn) {
            fail(c, h, Reason.LOGON_REQUIRED);
            return;
        }
        String refused = TopicNames.regexLimitProblem(h, config.maxRegexLength());
        refused = refused != null ? refused : Entitlements.check(c.access, h);
        if (refused != null) {
            fail(c, h, refused);
            return;
        }
        switch (cmd) {
            case PUBLISH, DELTA_PUBLISH -> publish(c, h, f.payload());
            case SUBSCRIBE, DELTA_SUBSCRIBE -> subscribe(c, h, false);
            case SOW_AND_SUBSCRIBE, SOW_AND_DELTA_SUBSCRIBE -> subscribe(c, h, true);
            case SOW -> query(c, h);
            case SOW_DELETE -> sowDelete(c, h, f.payload());
            case UNSUBSCRIBE -> unsubscribe(c, h);
            case FLUSH -> succeed(c, h, null);
            case HEARTBEAT -> { } // answered on the I/O thread; nothing reaches here
            default -> fail(c, h, Reason.UNKNOWN_COMMAND + ": '" + h.commandName() + "'");
        }
    }

    private void logon(Connection c, Header h) {
        if (c.loggedOn) {
            fail(c, h, Reason.DUPLICATE_LOGON);
            return;
        }
        String name = h.clientName();
        if (name == null || name.isBlank()) {
            fail(c, h, Reason.NO_CLIENT_NAME);
            return;
        }
        Authenticator.Result result = c.authResult; // checked off this thread by Authentication
        c.authResult = null;
        if (result == null) {
            result = Authentication.check(config.authenticator(), c, h);
        }
        if (result == null || !result.accepted()) {
            log.warn("{}: logon refused for user '{}' as '{}'", c.describe(), h.userId(), name);
            fail(c, h, Reason.AUTH_FAILURE);
            disconnect(c, Reason.DISCONNECT_AUTH);
            return;
        }
        Connection existing = byName.get(name);
        if (existing != null && existing != c) {
            if (Objects.equals(existing.user, h.userId())) {
                disconnect(existing, Reason.DISCONNECT_NAME_IN_USE + " (replaced by connection " + c.id + ")");
            } else {
                log.warn("{}: logon as '{}' refused, name in use by another user", c.describe(), name);
                fail(c, h, Reason.NAME_IN_USE);
                return;
            }
        }
        c.clientName = name;
        c.user = h.userId();
        c.access = entitlements.forUser(h.userId());
        c.loggedOn = true;
        byName.put(name, c);
        log.info("{} logged on as '{}'{}", c.describe(), name, h.userId() == null ? "" : " (user '" + h.userId() + "')");
        if (AckType.PROCESSED.in(h.ackTypes())) {
            // With a log: the last durable sequence, so a client resumes numbering (and replays
            // its publish store) from what is safely stored.
            long last = txlog != null ? txlog.lastPublisherSequence(name)
                    : lastPublisherSequence.getOrDefault(name, 0L);
            Header ack = ackHeader(h, AckType.PROCESSED, "success", result.reason())
                    .clientName(name).sequence(last).bookmark(publisherHash(name) + "|" + last + "|")
                    .version(VERSION);
            if (h.userId() != null) {
                ack.userId(h.userId());
            }
            write(c, ack, null);
        }
    }

    private void publish(Connection c, Header h, ByteBuf payload) {
        String topic = h.topic();
        if (topic == null || topic.isEmpty()) {
            fail(c, h, Reason.NO_TOPIC);
            return;
        }
        // The decoder hands the same String for a topic that repeats, so a steady stream is checked once.
        if (topic != lastGoodPublishTopic) {
            String problem = TopicNames.publishProblem(topic);
            if (problem != null) {
                fail(c, h, Reason.INVALID_TOPIC + ": " + problem);
                return;
            }
            lastGoodPublishTopic = topic;
        }
        boolean logTopic = txlog != null && logged.matches(topic);
        if (logTopic && h.sequence() > 0 && h.sequence() <= publisherHigh(c.clientName)) {
            duplicate(c, h);
            return;
        }
        if (h.sequence() > 0) {
            lastPublisherSequence.merge(c.clientName, h.sequence(), Math::max);
        }
        SowTopic st = sow.isEmpty() ? null : sow.topic(topic);
        TopicIndex.Node node = index.route(topic);
        String key = null;
        SowRecord previous = null;
        byte[] stored = null;
        // A plain update that nothing will compare with its predecessor, on a topic no running query
        // holds records of, is written into the stored record itself (SowStore.putInPlace): read
        // from the scratch buffer, it allocates no array and no record, and leaves the collector
        // no new object for an old one to point at.
        boolean inPlace = st != null && !logTopic && h.command() == Command.PUBLISH && st.snapshots == 0
                && !comparesOnUpdate(node);
        int length = 0;
        if (st != null) {
            if (inPlace) {
                length = copyToScratch(payload);
            } else {
                stored = bytesOf(payload);
                length = stored.length;
            }
            try {
                key = StateOfTheWorld.keyOf(st, inPlace ? scratch : stored, length, h.sowKey());
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.BAD_SOW_KEY + ": " + e.getMessage());
                return;
            }
            // A plain publish to an unlogged topic learns the record it replaces from the put below:
            // one lookup in a map that may hold millions of records, not two.
            if (h.command() == Command.DELTA_PUBLISH || logTopic) {
                previous = st.records.get(key);
            }
            if (h.command() == Command.DELTA_PUBLISH && previous != null) {
                try {
                    stored = JsonMerge.merge(previous.data(), stored);
                } catch (IllegalArgumentException e) {
                    fail(c, h, Reason.SOW_STORE_FAILED + ": delta_publish needs JSON objects: " + e.getMessage());
                    return;
                }
                payload = Unpooled.wrappedBuffer(stored);
            }
        }
        if (logTopic) {
            publishLogged(c, h, st, key, previous, stored != null ? stored : bytesOf(payload));
            return;
        }
        if (st != null) {
            long expiresAt = StateOfTheWorld.expiresAt(st, h.expiration(), System.nanoTime());
            if (inPlace) {
                sow.putInPlace(st, key, scratch, length, ++sowSequence, expiresAt, h.correlationId());
            } else {
                SowRecord replaced = sow.put(st, new SowRecord(key, stored, ++sowSequence, expiresAt, h.correlationId()));
                if (previous == null) {
                    previous = replaced;
                }
            }
        }
        if (node != null && !node.subscriptions.isEmpty()) {
            deliver(node, h.correlationId(), payload, inPlace ? length : -1, key, 0, null);
            if (previous != null) {
                outOfFocusAfterUpdate(node, previous, stored);
            }
        }
        if ((h.ackTypes() & (AckType.PROCESSED.bit() | AckType.PERSISTED.bit())) != 0) {
            succeed(c, h, null);
        }
    }

    private static byte[] bytesOf(ByteBuf payload) {
        int n = payload.readableBytes();
        if (payload.hasArray()) {
            // Straight from the backing array: ByteBuf.getBytes checks bounds and liveness at
            // every layer of a slice, a tenth of a SOW update in the engine benchmark, whose
            // frames are on the heap. Frames read from a socket are direct and take the copy below.
            int from = payload.arrayOffset() + payload.readerIndex();
            return Arrays.copyOfRange(payload.array(), from, from + n);
        }
        byte[] b = new byte[n];
        payload.getBytes(payload.readerIndex(), b);
        return b;
    }

    /**
     * Delivers a message to the matching subscriptions of {@code node}, one frame per connection.
     *
     * @param inScratch the payload's length when {@link #scratch} already holds it, else {@code -1}
     * @param logSequence the message's log sequence, or {@code 0} if it is not logged
     * @param bookmark the message's bookmark, or {@code null} if it is not logged
     */
    private void deliver(TopicIndex.Node node, String correlationId, ByteBuf payload, int inScratch, String sowKey,
            long logSequence, String bookmark) {
        long mark = ++messageNumber;
        targets.clear();
        int dataLength = inScratch;
        for (Subscription s : node.subscriptions) {
            if (logSequence > 0 && (s.replaying || logSequence <= s.replayedUpTo)) {
                continue; // the subscription's replay covers this one
            }
            if (s.filter != null) {
                if (dataLength < 0) {
                    dataLength = copyToScratch(payload);
                }
                if (!s.filter.matches(scratch, 0, dataLength)) {
                    continue;
                }
            }
            Connection t = s.connection;
            if (t.closed) {
                continue;
            }
            if (s.pattern != null && t.access != null) {
                dataLength = dataLength < 0 ? copyToScratch(payload) : dataLength;
                if (!Entitlements.mayRead(s, node.topic, scratch, 0, dataLength)) {
                    continue;
                }
            }
            if (t.deliveryMark != mark) {
                t.deliveryMark = mark;
                t.firstMatch = s;
                if (t.extraSids != null) {
                    t.extraSids.setLength(0);
                }
                targets.add(t);
            } else {
                if (t.extraSids == null) {
                    t.extraSids = new StringBuilder();
                }
                t.extraSids.append(',').append(s.subId);
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            writeDelivery(targets.get(i), node.quotedTopic, null, correlationId, payload, sowKey, bookmark);
        }
        targets.clear();
    }

    private int copyToScratch(ByteBuf payload) {
        int n = payload.readableBytes();
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        if (payload.hasArray()) {
            // as in bytesOf: a slice's getBytes checks bounds at every layer
            System.arraycopy(payload.array(), payload.arrayOffset() + payload.readerIndex(), scratch, 0, n);
        } else {
            payload.getBytes(payload.readerIndex(), scratch, 0, n);
        }
        return n;
    }

    /** Writes one delivery to {@code t}'s first matching subscription (and its extra sids). */
    private void writeDelivery(Connection t, byte[] quotedTopic, String topic, String correlationId, ByteBuf payload,
            String sowKey, String bookmark) {
        ByteBuf out = pendingFor(t);
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        out.writeBytes(DELIVERY_PREFIX);
        if (quotedTopic != null) {
            out.writeBytes(quotedTopic);
        } else {
            HeaderCodec.writeJsonString(out, topic);
        }
        if (t.extraSids != null && t.extraSids.length() > 0) {
            out.writeBytes(SIDS_KEY);
            HeaderCodec.writeJsonString(out, t.firstMatch.subId + t.extraSids);
        } else {
            out.writeBytes(t.firstMatch.subIdField);
        }
        if (correlationId != null) {
            out.writeBytes(CORRELATION_KEY);
            HeaderCodec.writeJsonString(out, correlationId);
        }
        if (sowKey != null) {
            out.writeBytes(SOW_KEY_KEY);
            HeaderCodec.writeJsonString(out, sowKey);
        }
        if (bookmark != null) {
            out.writeBytes(BOOKMARK_KEY);
            HeaderCodec.writeJsonString(out, bookmark);
        }
        out.writeByte('}');
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
        if (out == t.pending && out.readableBytes() > EARLY_FLUSH_BYTES) {
            t.flushPending();
        }
    }

    private void subscribe(Connection c, Header h, boolean query) {
        String topic = h.topic();
        if (topic == null || topic.isEmpty()) {
            fail(c, h, Reason.NO_TOPIC);
            return;
        }
        String subId = h.subId() != null ? h.subId() : h.commandId();
        if (subId == null || subId.isEmpty() || subId.equals("all")) {
            fail(c, h, Reason.INVALID_SUBID + ": a subscription needs a sub_id or command id other than 'all'");
            return;
        }
        Subscription existing = c.subscriptions.get(subId);
        boolean replace = TopicNames.hasOption(h.options(), "replace");
        if (existing != null && !replace) {
            fail(c, h, Reason.SUBSCRIPTION_ALREADY_EXISTS);
            return;
        }
        if (existing == null && c.subscriptions.size() >= config.maxSubscriptionsPerConnection()) {
            fail(c, h, Reason.SUBSCRIPTION_LIMIT + " (" + config.maxSubscriptionsPerConnection() + ")");
            return;
        }
        Pattern pattern = null;
        if (TopicNames.isRegex(topic) && !TopicNames.hasOption(h.options(), "non_regex_topic")) {
            if (topic.length() > config.maxRegexLength()) {
                fail(c, h, Reason.BAD_REGEX_TOPIC + ": longer than " + config.maxRegexLength() + " characters");
                return;
            }
            try {
                pattern = Pattern.compile(topic);
            } catch (PatternSyntaxException e) {
                fail(c, h, Reason.BAD_REGEX_TOPIC + ": " + e.getDescription());
                return;
            }
        }
        MessageFilter filter = null;
        String filterText = h.filter();
        if (filterText != null && !filterText.isBlank()) {
            try {
                filter = Filters.compile(filterText, filterLimits);
            } catch (IllegalArgumentException e) {
                fail(c, h, badFilter(e));
                return;
            }
        }
        String bookmark = query || h.bookmark() == null || h.bookmark().isBlank() ? null : h.bookmark();
        long after = 0;
        if (bookmark != null) {
            if (txlog == null || (pattern == null && !logged.matches(topic))) {
                fail(c, h, Reason.INVALID_TOPIC + ": '" + topic + "' is not recorded in the transaction log, so it"
                        + " cannot be replayed from a bookmark");
                return;
            }
            String notFound = TopicNames.optionValue(h.options(), "bookmark_not_found");
            if (notFound != null && !List.of("epoch", "now", "fail").contains(notFound)) {
                fail(c, h, Reason.INVALID_OPTIONS + ": bookmark_not_found must be epoch, now or fail but was '"
                        + notFound + "'");
                return;
            }
            try {
                after = resolveBookmark(bookmark, notFound == null ? "now" : notFound);
            } catch (InvalidBookmarkFormatException e) {
                fail(c, h, Reason.INVALID_BOOKMARK + ": " + e.getMessage());
                return;
            } catch (IOException e) {
                fail(c, h, Reason.TX_STORE_FAILURE + ": cannot search the log: " + e.getMessage());
                return;
            }
            if (after < 0) {
                fail(c, h, Reason.INVALID_BOOKMARK + ": '" + bookmark + "' is not in the transaction log");
                return;
            }
        }
        OrderBy orderBy = null;
        if (query && h.orderBy() != null && !h.orderBy().isBlank()) {
            try {
                orderBy = OrderBy.parse(h.orderBy());
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.INVALID_ORDER_BY + ": " + e.getMessage());
                return;
            }
        }
        filter = Entitlements.restrict(c.access, topic, pattern != null, filter);
        List<SowTopic> queried = query ? sow.matching(h.topic(), pattern) : null;
        String overLimit = query ? queryLimitProblem(c, h, queried) : null;
        if (overLimit != null) {
            fail(c, h, overLimit);
            return;
        }
        // Every check that can refuse the command is above: a refused replace keeps the old subscription.
        if (existing != null) {
            removeSubscription(existing);
        }
        Subscription s = new Subscription(c, subId, topic, pattern, filter, filterText, h.options());
        succeed(c, h, subId);
        if (query) {
            // Snapshot first, then subscribe: both in this one engine step, so every later
            // publish is live (after group_end) and none is in the result.
            startQuery(c, h, h.queryId() != null ? h.queryId() : subId, subId, queried, pattern, filter, orderBy);
        }
        c.subscriptions.put(subId, s);
        index.add(s);
        if (bookmark != null) {
            startReplay(c, h, s, after);
        } else if (txlog != null) {
            // Logged messages appended before this point but still waiting for their fsync are
            // not this subscription's: they precede it (and a sow_and_subscribe already has them
            // in its snapshot, the SOW being updated at append).
            s.replayedUpTo = txlog.lastSequence();
        }
    }

    private void query(Connection c, Header h) {
        String topic = h.topic();
        if (topic == null || topic.isEmpty()) {
            fail(c, h, Reason.NO_TOPIC);
            return;
        }
        Pattern pattern = sowTopicPattern(c, h);
        if (pattern == REPORTED_PATTERN) {
            return;
        }
        MessageFilter filter = contentFilter(c, h);
        if (filter == REPORTED_FILTER) {
            return;
        }
        filter = Entitlements.restrict(c.access, topic, pattern != null, filter);
        OrderBy orderBy = null;
        if (h.orderBy() != null && !h.orderBy().isBlank()) {
            try {
                orderBy = OrderBy.parse(h.orderBy());
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.INVALID_ORDER_BY + ": " + e.getMessage());
                return;
            }
        }
        List<SowTopic> topics = sow.matching(topic, pattern);
        String overLimit = queryLimitProblem(c, h, topics);
        if (overLimit != null) {
            fail(c, h, overLimit);
            return;
        }
        String queryId = h.queryId() != null ? h.queryId() : h.commandId();
        succeed(c, h, null);
        startQuery(c, h, queryId, null, topics, pattern, filter, orderBy);
    }

    /**
     * Why a query may not start, or {@code null}: the rows {@code c}'s running queries hold plus
     * the most this one can match (the records of {@code topics}, or {@code top_n}) must stay
     * within {@code maxQueryRowsPerConnection}. Checked before the scan, because the ack goes out
     * before it; so a selective filter counts as if it matched everything.
     */
    private String queryLimitProblem(Connection c, Header h, List<SowTopic> topics) {
        long most = 0;
        for (SowTopic t : topics) {
            most += t.records.size();
        }
        if (h.topN() >= 0) {
            most = Math.min(most, h.topN());
        }
        long held = c.queryRows();
        long max = config.maxQueryRowsPerConnection();
        if (held + most <= max) {
            return null;
        }
        return Reason.QUERY_LIMIT + ": running queries on this connection hold " + held
                + " records and this one may add " + most + "; the maximum is " + max
                + " (maxQueryRowsPerConnection)";
    }

    /** Snapshots the matching records of {@code topics} (what {@code sow.matching} gave for the query) and queues the cursor. */
    private void startQuery(Connection c, Header h, String queryId, String subId, List<SowTopic> topics,
            Pattern pattern, MessageFilter filter, OrderBy orderBy) {
        List<QueryCursor.Row> rows = new ArrayList<>();
        long scanned = 0;
        for (SowTopic t : topics) {
            MessageFilter grant = pattern == null || c.access == null ? Entitlements.ALLOW : c.access.read(t.topic);
            if (grant == Entitlements.DENY) {
                continue;
            }
            for (SowRecord r : t.records.records()) {
                scanned++;
                if ((filter == null || filter.matches(r.data(), 0, r.data().length))
                        && grant.matches(r.data(), 0, r.data().length)) {
                    rows.add(new QueryCursor.Row(t, r));
                }
            }
        }
        long matched = rows.size();
        if (orderBy != null) {
            List<Object[]> keyed = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Object[] keys = orderBy.keysOf(rows.get(i).record().data());
                Object[] withIndex = java.util.Arrays.copyOf(keys, keys.length + 1);
                withIndex[keys.length] = i;
                keyed.add(withIndex);
            }
            java.util.Comparator<Object[]> cmp = orderBy.comparator();
            keyed.sort(cmp);
            List<QueryCursor.Row> sorted = new ArrayList<>(rows.size());
            for (Object[] k : keyed) {
                sorted.add(rows.get((Integer) k[k.length - 1]));
            }
            rows = sorted;
        }
        long topN = h.topN();
        if (topN >= 0 && topN < rows.size()) {
            rows = new ArrayList<>(rows.subList(0, (int) topN));
        }
        int batchSize = h.batchSize() > 0 ? (int) Math.min(h.batchSize(), 10_000) : DEFAULT_BATCH_SIZE;
        QueryCursor q = new QueryCursor(h.commandId(), queryId, subId, h.ackTypes(), topics, rows, batchSize,
                scanned, matched, topics.size() > 1 || pattern != null);
        if (c.queries.isEmpty()) {
            querying.add(c);
        }
        c.queries.add(q);
    }

    /** Writes the next chunk of each running query whose connection has room. */
    private void advanceQueries() {
        for (int i = querying.size() - 1; i >= 0; i--) {
            Connection c = querying.get(i);
            if (c.closed) {
                querying.remove(i);
                continue;
            }
            // What arrives for the connection while its query is written waits in memory: a reader
            // that stalls mid-query on a busy topic is cut like any other slow reader.
            if (c.backlogBytes() > config.maxOutboundBytes()) {
                querying.remove(i);
                dropSlowClient(c);
                continue;
            }
            int budget = QUERY_CHUNK_BYTES;
            while (!c.queries.isEmpty() && budget > 0
                    && c.queuedBytes() < config.maxOutboundBytes() / 2) {
                budget = writeQueryChunk(c, c.queries.peekFirst(), budget);
            }
            if (c.queries.isEmpty()) {
                querying.remove(i);
            }
        }
    }

    private int writeQueryChunk(Connection c, QueryCursor q, int budget) {
        ByteBuf out = livePending(c);
        int start = out.writerIndex();
        if (!q.started) {
            q.started = true;
            Header begin = new Header().command(Command.GROUP_BEGIN).queryId(q.queryId).commandId(q.commandId);
            if (q.subId != null) {
                begin.subId(q.subId);
            }
            Frames.write(out, begin, (byte[]) null);
        }
        while (!q.done() && out.writerIndex() - start < budget) {
            int end = Math.min(q.rows.size(), q.next + q.batchSize);
            int lengthAt = out.writerIndex();
            out.writeInt(0);
            Header batch = new Header().command(Command.SOW).queryId(q.queryId).commandId(q.commandId)
                    .batchSize(end - q.next);
            if (q.subId != null) {
                batch.subId(q.subId);
            }
            if (!q.multiTopic) {
                batch.topic(q.rows.get(q.next).topic().topic);
            }
            HeaderCodec.encode(batch, out);
            for (int r = q.next; r < end; r++) {
                QueryCursor.Row row = q.rows.get(r);
                Header rec = new Header().sowKey(row.record().key()).messageLength(row.record().data().length);
                if (q.multiTopic) {
                    rec.topic(row.topic().topic);
                }
                if (row.record().correlationId() != null) {
                    rec.correlationId(row.record().correlationId());
                }
                HeaderCodec.encode(rec, out);
                out.writeBytes(row.record().data());
            }
            out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
            q.next = end;
        }
        int used = out.writerIndex() - start;
        if (q.done()) {
            Frames.write(out, new Header().command(Command.GROUP_END).queryId(q.queryId).commandId(q.commandId),
                    (byte[]) null);
            Header like = new Header().command(Command.SOW).commandId(q.commandId).queryId(q.queryId)
                    .ackTypes(q.ackTypes);
            if (AckType.COMPLETED.in(q.ackTypes)) {
                Header ack = ackHeader(like, AckType.COMPLETED, "success", null);
                if (q.subId != null) {
                    ack.subId(q.subId);
                }
                Frames.write(out, ack, (byte[]) null);
            }
            if (AckType.STATS.in(q.ackTypes)) {
                Frames.write(out, ackHeader(like, AckType.STATS, "success", null).recordsReturned(q.rows.size())
                        .matches(q.matched).topicMatches(q.scanned), (byte[]) null);
            }
            c.queries.pollFirst();
            if (q.held != null) {
                out.writeBytes(q.held);
            }
            q.finish();
        }
        if (out.readableBytes() > EARLY_FLUSH_BYTES) {
            c.flushPending();
        }
        return budget - Math.max(used, 1);
    }

    private void sowDelete(Connection c, Header h, ByteBuf payload) {
        String topic = h.topic();
        if (topic == null || topic.isEmpty()) {
            fail(c, h, Reason.NO_TOPIC);
            return;
        }
        boolean byFilter = h.filter() != null && !h.filter().isBlank();
        boolean byKeys = h.sowKeys() != null && !h.sowKeys().isBlank();
        boolean byData = payload.isReadable();
        int forms = (byFilter ? 1 : 0) + (byKeys ? 1 : 0) + (byData ? 1 : 0) + (h.bookmark() != null ? 1 : 0);
        if (forms == 0) {
            fail(c, h, Reason.NO_TOPIC_OR_FILTER + ": sow_delete needs a filter, sow_keys or data");
            return;
        }
        if (forms > 1) {
            fail(c, h, "sow_delete command only supports one of: filter, sow_keys, bookmark, or data");
            return;
        }
        if (h.bookmark() != null) {
            fail(c, h, Reason.NOT_SUPPORTED + ": sow_delete by bookmark (queues) is not supported");
            return;
        }
        Pattern pattern = sowTopicPattern(c, h);
        if (pattern == REPORTED_PATTERN) {
            return;
        }
        MessageFilter filter = contentFilter(c, h);
        if (filter == REPORTED_FILTER) {
            return;
        }
        long scanned = 0;
        long deleted = 0;
        boolean appended = false;
        for (SowTopic t : sow.matching(topic, pattern)) {
            if (c.access != null && !c.access.mayWrite(t.topic)) {
                continue;
            }
            List<SowRecord> victims = new ArrayList<>();
            if (byFilter) {
                for (SowRecord r : t.records.records()) {
                    scanned++;
                    if (filter.matches(r.data(), 0, r.data().length)) {
                        victims.add(r);
                    }
                }
            } else if (byKeys) {
                for (String k : h.sowKeys().split(",")) {
                    SowRecord r = t.records.get(k.trim());
                    scanned++;
                    if (r != null) {
                        victims.add(r);
                    }
                }
            } else {
                String key;
                try {
                    key = StateOfTheWorld.keyOf(t, bytesOf(payload), h.sowKey());
                } catch (IllegalArgumentException e) {
                    fail(c, h, Reason.BAD_SOW_KEY + ": " + e.getMessage());
                    return;
                }
                scanned++;
                SowRecord r = t.records.get(key);
                if (r != null) {
                    victims.add(r);
                }
            }
            boolean logTopic = txlog != null && logged.matches(t.topic);
            for (SowRecord r : victims) {
                sow.remove(t, r.key());
                deleted++;
                if (logTopic && appendDelete(c, h, t, r)) {
                    appended = true; // its oof waits for durability, in order with publishes
                } else {
                    outOfFocus(t, r, "deleted");
                }
            }
        }
        if (txlog != null && AckType.PERSISTED.in(h.ackTypes())) {
            if (AckType.PROCESSED.in(h.ackTypes())) {
                ack(c, h, AckType.PROCESSED, null);
            }
            persistedAfterLog(c, h, null, appended);
        } else {
            succeed(c, h, null);
        }
        if (AckType.COMPLETED.in(h.ackTypes())) {
            ack(c, h, AckType.COMPLETED, null);
        }
        if (AckType.STATS.in(h.ackTypes())) {
            write(c, ackHeader(h, AckType.STATS, "success", null).recordsDeleted(deleted).matches(deleted)
                    .topicMatches(scanned), null);
        }
    }

    /** Returned by the helpers below when they already sent the failure ack. */
    private static final Pattern REPORTED_PATTERN = Pattern.compile("reported");
    private static final MessageFilter REPORTED_FILTER = (data, offset, length) -> false;

    /**
     * The topic of a SOW command as a pattern ({@code null} for a literal topic); reports a bad
     * regex, or a topic with no State of the World, and returns {@link #REPORTED_PATTERN}.
     */
    private Pattern sowTopicPattern(Connection c, Header h) {
        Pattern pattern = null;
        if (TopicNames.isRegex(h.topic()) && !TopicNames.hasOption(h.options(), "non_regex_topic")) {
            try {
                pattern = Pattern.compile(h.topic());
            } catch (PatternSyntaxException e) {
                fail(c, h, Reason.BAD_REGEX_TOPIC + ": " + e.getDescription());
                return REPORTED_PATTERN;
            }
        }
        if (!sow.declares(h.topic(), pattern)) {
            fail(c, h, Reason.INVALID_TOPIC + ": '" + h.topic() + "' has no State of the World");
            return REPORTED_PATTERN;
        }
        return pattern;
    }

    /** The failure reason for a filter that does not compile: {@code bad filter: at position 5: expected ...}. */
    private static String badFilter(IllegalArgumentException e) {
        return Reason.BAD_FILTER + ": " + (e instanceof FilterSyntaxException f ? f.detail() : e.getMessage());
    }

    /** The command's compiled filter, {@code null} if none; reports a bad one and returns {@link #REPORTED_FILTER}. */
    private MessageFilter contentFilter(Connection c, Header h) {
        if (h.filter() == null || h.filter().isBlank()) {
            return null;
        }
        try {
            return Filters.compile(h.filter(), filterLimits);
        } catch (IllegalArgumentException e) {
            fail(c, h, badFilter(e));
            return REPORTED_FILTER;
        }
    }

    private void onExpired(SowTopic t, SowRecord r) {
        outOfFocus(t, r, "expired");
    }

    /** Tells oof subscribers that saw {@code gone} that it left (deleted or expired). */
    private void outOfFocus(SowTopic t, SowRecord gone, String reason) {
        TopicIndex.Node node = index.route(t.topic);
        if (node == null) {
            return;
        }
        for (Subscription s : node.subscriptions) {
            if (s.oof && !s.connection.closed
                    && (s.filter == null || s.filter.matches(gone.data(), 0, gone.data().length))
                    && Entitlements.mayRead(s, t.topic, gone.data(), 0, gone.data().length)) {
                writeOof(s, t.topic, gone.key(), reason, gone.data());
            }
        }
    }

    /** Whether an update on {@code node}'s topic must compare the replaced record with the new one (for oof). */
    private static boolean comparesOnUpdate(TopicIndex.Node node) {
        if (node == null) {
            return false;
        }
        for (Subscription s : node.subscriptions) {
            if (s.oof && s.filter != null) {
                return true;
            }
        }
        return false;
    }

    /** Tells oof subscribers whose filter matched the old record but not the new one. */
    private void outOfFocusAfterUpdate(TopicIndex.Node node, SowRecord previous, byte[] now) {
        for (Subscription s : node.subscriptions) {
            if (s.oof && s.filter != null && !s.connection.closed
                    && s.filter.matches(previous.data(), 0, previous.data().length)
                    && Entitlements.mayRead(s, node.topic, previous.data(), 0, previous.data().length)
                    && !s.filter.matches(now, 0, now.length)) {
                writeOof(s, node.topic, previous.key(), "match", now);
            }
        }
    }

    private void writeOof(Subscription s, String topic, String key, String reason, byte[] body) {
        write(s.connection, new Header().command(Command.OOF).topic(topic).subId(s.subId).sowKey(key).reason(reason),
                body);
    }

    private void unsubscribe(Connection c, Header h) {
        String ids = h.subId() != null ? h.subId() : h.queryId();
        if (ids == null || ids.isEmpty()) {
            fail(c, h, Reason.INVALID_SUBID + ": unsubscribe needs a sub_id, a comma list or 'all'");
            return;
        }
        if (ids.equals("all")) {
            for (Subscription s : new ArrayList<>(c.subscriptions.values())) {
                removeSubscription(s);
            }
        } else {
            for (String id : ids.split(",")) {
                Subscription s = c.subscriptions.get(id.trim());
                if (s != null) {
                    removeSubscription(s);
                }
            }
        }
        succeed(c, h, null);
    }

    private void removeSubscription(Subscription s) {
        s.removed = true;
        s.connection.subscriptions.remove(s.subId);
        index.remove(s);
    }


    // ---------------------------------------------------------------- transaction log

    /** The highest publisher sequence seen from {@code name} on logged topics, durable or in flight. */
    private long publisherHigh(String name) {
        Long high = publisherHigh.get(name);
        return high != null ? high : txlog.lastPublisherSequence(name);
    }

    /** Appends a validated publish on a logged topic; delivery and persisted ack wait for durability. */
    private void publishLogged(Connection c, Header h, SowTopic st, String key, SowRecord previous, byte[] data) {
        String topic = h.topic();
        LogRecord.Kind kind = h.command() == Command.DELTA_PUBLISH ? LogRecord.Kind.DELTA_PUBLISH
                : LogRecord.Kind.PUBLISH;
        long seq;
        try {
            seq = txlog.append(kind, topic, c.clientName, Math.max(0, h.sequence()), key, h.correlationId(), data);
        } catch (IllegalArgumentException | IllegalStateException e) {
            fail(c, h, Reason.TX_STORE_FAILURE + ": " + e.getMessage());
            return;
        }
        if (h.sequence() > 0) {
            publisherHigh.put(c.clientName, h.sequence());
        }
        Awaiting a = new Awaiting(seq, true);
        a.topic = topic;
        a.publisherName = c.clientName;
        a.sowKey = key;
        a.correlationId = h.correlationId();
        a.payload = data;
        if (st != null) {
            a.sowTopic = st;
            a.previous = previous;
            a.current = new SowRecord(key, data, ++sowSequence,
                    StateOfTheWorld.expiresAt(st, h.expiration(), System.nanoTime()), h.correlationId());
            sow.put(st, a.current);
        }
        if (AckType.PERSISTED.in(h.ackTypes())) {
            setAck(a, c, h, null);
        }
        awaiting.add(a);
        if (AckType.PROCESSED.in(h.ackTypes())) {
            ack(c, h, AckType.PROCESSED, null);
        }
    }

    /**
     * Appends the delete of one SOW record, its {@code oof} notices waiting for durability; returns
     * whether it was appended.
     */
    private boolean appendDelete(Connection c, Header h, SowTopic t, SowRecord r) {
        long seq;
        try {
            seq = txlog.append(LogRecord.Kind.SOW_DELETE, t.topic, c.clientName, Math.max(0, h.sequence()), r.key(),
                    null, new byte[0]);
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.warn("{}: sow_delete of '{}' on '{}' not logged: {}", c.describe(), r.key(), t.topic, e.getMessage());
            return false;
        }
        Awaiting a = new Awaiting(seq, true);
        a.sowTopic = t;
        a.deleted = r;
        awaiting.add(a);
        return true;
    }

    /** A publish whose sequence this publisher already used: discarded, failure ack {@code duplicate}. */
    private void duplicate(Connection c, Header h) {
        if (log.isDebugEnabled()) {
            log.debug("{}: duplicate publish s={} on '{}' discarded", c.describe(), h.sequence(), h.topic());
        }
        if (AckType.PROCESSED.in(h.ackTypes())) {
            ack(c, h, AckType.PROCESSED, Reason.DUPLICATE);
        }
        if (AckType.PERSISTED.in(h.ackTypes())) {
            // In order with this connection's other persisted acks: after the original is durable.
            persistedAfterLog(c, h, Reason.DUPLICATE, false);
        }
    }

    /**
     * Sends {@code c} a persisted ack for {@code h} once everything appended so far is durable
     * (at once if it already is).
     *
     * @param failure a failure reason decided already, or {@code null} for success
     * @param ownRecord whether the last appended record is this command's own (its failure fails the ack)
     */
    private void persistedAfterLog(Connection c, Header h, String failure, boolean ownRecord) {
        Awaiting a = new Awaiting(txlog.lastSequence(), ownRecord);
        setAck(a, c, h, failure);
        if (awaiting.isEmpty() && a.sequence <= durableSeen) {
            sendPersisted(a, failure);
            flushPersisted();
        } else {
            awaiting.add(a);
        }
    }

    private static void setAck(Awaiting a, Connection c, Header h, String failure) {
        a.ackTo = c;
        a.ackCommandId = h.commandId();
        a.ackTopic = h.topic();
        a.ackPublisherSequence = h.command().isWrite() ? h.sequence() : Header.ABSENT;
        a.ackFailure = failure;
    }

    /** Everything up to {@code sequence} is durable: deliver held messages and send persisted acks. */
    private void onDurable(long sequence) {
        durableSeen = Math.max(durableSeen, sequence);
        Awaiting a;
        while ((a = awaiting.peekFirst()) != null && a.sequence <= sequence) {
            awaiting.pollFirst();
            if (a.topic != null) {
                deliverLogged(a);
            }
            if (a.deleted != null) {
                outOfFocus(a.sowTopic, a.deleted, "deleted");
            }
            if (a.ackTo != null) {
                sendPersisted(a, a.ackFailure);
            }
        }
        flushPersisted();
    }

    /** The writer could not store {@code from..to}: fail their acks, never deliver them, undo the SOW. */
    private void onLogFailure(long from, long to, IOException cause) {
        log.error("transaction log write failed for sequences {}..{}: {}; publishers get '{}'", from, to,
                cause.getMessage(), Reason.TX_STORE_FAILURE);
        Awaiting a;
        List<String> publishers = new ArrayList<>();
        while ((a = awaiting.peekFirst()) != null && a.sequence <= to) {
            awaiting.pollFirst();
            boolean failed = a.sequence >= from && a.ownRecord;
            if (!failed) {
                if (a.topic != null) {
                    deliverLogged(a);
                }
                if (a.deleted != null) {
                    outOfFocus(a.sowTopic, a.deleted, "deleted");
                }
                if (a.ackTo != null) {
                    sendPersisted(a, a.ackFailure);
                }
                continue;
            }
            if (a.deleted != null && !a.sowTopic.records.containsKey(a.deleted.key())) {
                sow.put(a.sowTopic, a.deleted); // the delete is not in the log: undo it
            }
            if (a.current != null && a.sowTopic.records.isCurrent(a.current)) {
                if (a.previous != null) {
                    sow.put(a.sowTopic, a.previous);
                } else {
                    sow.remove(a.sowTopic, a.current.key());
                }
            }
            if (a.publisherName != null) {
                publishers.add(a.publisherName);
            }
            if (a.ackTo != null) {
                sendPersisted(a, a.ackFailure != null ? a.ackFailure
                        : Reason.TX_STORE_FAILURE + ": " + cause.getMessage());
            }
        }
        // A failed publish may be sent again with the same sequence: forget it, keeping what is
        // durable or still in flight.
        for (String name : publishers) {
            long high = txlog.lastPublisherSequence(name);
            for (Awaiting w : awaiting) {
                if (w.ackTo != null && name.equals(w.publisherName) && w.ackPublisherSequence > high) {
                    high = w.ackPublisherSequence;
                }
            }
            publisherHigh.put(name, high);
        }
        flushPersisted();
    }

    private void deliverLogged(Awaiting a) {
        TopicIndex.Node node = index.route(a.topic);
        if (node == null || node.subscriptions.isEmpty()) {
            return;
        }
        deliver(node, a.correlationId, Unpooled.wrappedBuffer(a.payload), -1, a.sowKey, a.sequence,
                Bookmarks.of(a.publisherName, a.sequence));
        if (a.previous != null) {
            outOfFocusAfterUpdate(node, a.previous, a.payload);
        }
    }

    /**
     * Sends or conflates one persisted ack. Successes without a command id are conflated per
     * connection into one ack carrying the highest publisher sequence; failures and acks with a
     * command id are sent on their own, after the connection's conflated successes so far.
     */
    private void sendPersisted(Awaiting a, String failure) {
        Connection c = a.ackTo;
        if (c.closed) {
            return;
        }
        if (failure == null && a.ackCommandId == null && a.ackPublisherSequence > 0) {
            if (c.persistedHigh == 0) {
                persistedTargets.add(c);
            }
            c.persistedHigh = Math.max(c.persistedHigh, a.ackPublisherSequence);
            return;
        }
        if (c.persistedHigh > 0) {
            writePersisted(c);
        }
        Header ack = new Header().command(Command.ACK).ackType(AckType.PERSISTED).commandId(a.ackCommandId)
                .status(failure == null ? "success" : "failure").reason(failure);
        if (a.ackTopic != null) {
            ack.topic(a.ackTopic);
        }
        if (a.ackPublisherSequence > 0) {
            ack.sequence(a.ackPublisherSequence);
        }
        write(c, ack, null);
    }

    private void flushPersisted() {
        for (int i = 0; i < persistedTargets.size(); i++) {
            Connection c = persistedTargets.get(i);
            if (c.persistedHigh > 0 && !c.closed) {
                writePersisted(c);
            }
            c.persistedHigh = 0;
        }
        persistedTargets.clear();
    }

    private void writePersisted(Connection c) {
        write(c, new Header().command(Command.ACK).ackType(AckType.PERSISTED).status("success")
                .sequence(c.persistedHigh), null);
        c.persistedHigh = 0;
    }

    /**
     * The {@code afterSequence} to replay from for a bookmark or comma list (earliest element wins),
     * or {@code -1} when no element names a record in the log and {@code notFound} is {@code fail}.
     */
    private long resolveBookmark(String bookmarks, String notFound) throws IOException {
        long earliest = Long.MAX_VALUE;
        for (String element : bookmarks.split(",", -1)) {
            String e = element.trim();
            if (e.isEmpty()) {
                throw new InvalidBookmarkFormatException(bookmarks, "empty list element");
            }
            long after;
            if (Bookmarks.isEpoch(e)) {
                after = 0;
            } else if (Bookmarks.isNow(e)) {
                after = txlog.lastSequence();
            } else if (Bookmarks.isTimestamp(e)) {
                after = txlog.sequenceAtOrAfter(Bookmarks.parseTimestamp(e)) - 1;
            } else {
                long seq = Bookmarks.parseSequence(e);
                long first = txlog.firstSequence();
                boolean found = seq <= txlog.lastSequence() && (first == 0 || seq >= first - 1);
                if (!found) {
                    continue;
                }
                after = seq;
            }
            earliest = Math.min(earliest, after);
        }
        if (earliest != Long.MAX_VALUE) {
            return earliest;
        }
        return switch (notFound) {
            case "epoch" -> 0;
            case "fail" -> -1;
            default -> txlog.lastSequence();
        };
    }

    /** Starts replaying the log after {@code after} to {@code s}, or puts it live if nothing is to replay. */
    private void startReplay(Connection c, Header h, Subscription s, long after) {
        s.replayedUpTo = after;
        if (after >= txlog.lastSequence()) {
            completeReplay(c, s, h.commandId(), h.ackTypes());
            return;
        }
        LogReader reader;
        try {
            reader = txlog.openReader(after);
        } catch (IOException e) {
            log.error("{}: cannot open a log reader for {}", c.describe(), s, e);
            removeSubscription(s);
            if (AckType.COMPLETED.in(h.ackTypes())) {
                write(c, ackHeader(h, AckType.COMPLETED, "failure", Reason.TX_STORE_FAILURE + ": " + e.getMessage())
                        .subId(s.subId), null);
            }
            return;
        }
        s.replaying = true;
        replays.add(new ReplayCursor(s, reader, h.commandId(), h.ackTypes(), after));
    }

    private void completeReplay(Connection c, Subscription s, String commandId, int ackTypes) {
        s.replaying = false;
        if (AckType.COMPLETED.in(ackTypes)) {
            write(c, new Header().command(Command.ACK).ackType(AckType.COMPLETED).commandId(commandId)
                    .status("success").subId(s.subId).topic(s.topic), null);
        }
    }

    /** Writes the next chunk of each running replay whose connection has room. */
    private void advanceReplays() {
        for (int i = replays.size() - 1; i >= 0; i--) {
            ReplayCursor r = replays.get(i);
            Subscription s = r.subscription;
            Connection c = s.connection;
            if (c.closed || s.removed) {
                r.reader.close();
                replays.remove(i);
                continue;
            }
            boolean done = false;
            // Never let this step push the connection over half its allowed backlog, so a replay
            // is paced by the subscriber and never trips the slow-client limit.
            long room = config.maxOutboundBytes() / 2;
            int budget = QUERY_CHUNK_BYTES;
            int scanned = 0;
            while (budget > 0 && scanned < REPLAY_MAX_RECORDS_PER_STEP && c.queries.isEmpty()
                    && c.backlogBytes() < room) {
                LogRecord rec;
                try {
                    rec = r.reader.next();
                } catch (IOException e) {
                    log.error("{}: replay of the log failed after sequence {}", c.describe(), r.last, e);
                    done = true;
                    break;
                }
                if (rec == null) {
                    done = true;
                    break;
                }
                scanned++;
                r.last = rec.sequence();
                if (rec.kind() == LogRecord.Kind.SOW_DELETE || !s.matchesTopic(rec.topic())) {
                    continue;
                }
                byte[] data = rec.payload();
                if (s.filter != null && !s.filter.matches(data, 0, data.length)) {
                    continue;
                }
                // Replay obeys the same per-topic read entitlement as live delivery.
                if (s.pattern != null && c.access != null
                        && !Entitlements.mayRead(s, rec.topic(), data, 0, data.length)) {
                    continue;
                }
                ByteBuf out = livePending(c);
                int before = out.writerIndex();
                c.firstMatch = s;
                if (c.extraSids != null) {
                    c.extraSids.setLength(0);
                }
                writeDelivery(c, null, rec.topic(), rec.correlationId(), Unpooled.wrappedBuffer(data), rec.sowKey(),
                        Bookmarks.of(rec.publisherName(), rec.sequence()));
                // An early flush may have handed the buffer over; count at least the record.
                budget -= Math.max(out == c.pending ? out.writerIndex() - before : data.length, 1);
            }
            if (done) {
                s.replayedUpTo = Math.max(s.replayedUpTo, r.last);
                r.reader.close();
                replays.remove(i);
                completeReplay(c, s, r.commandId, r.ackTypes);
            }
        }
    }

    // ---------------------------------------------------------------- connections

    /** Closes a connection whose unread traffic passed {@code maxOutboundBytes}, dropping that traffic. */
    private void dropSlowClient(Connection c) {
        c.discardPending();
        disconnect(c, Reason.DISCONNECT_SLOW_CLIENT + " (over " + config.maxOutboundBytes() + " bytes queued)");
    }

    /** Closes {@code c} from the engine's side, after what is pending for it has been sent. */
    private void disconnect(Connection c, String reason) {
        if (c.closed) {
            return;
        }
        ConnectionHandler.setCloseReason(c.channel, reason);
        cleanup(c);
        c.flushPending();
        c.channel.close();
    }

    private void cleanup(Connection c) {
        c.discardQueries();
        if (c.closed && c.clientName == null && c.subscriptions.isEmpty()) {
            return;
        }
        c.closed = true;
        for (Iterator<Subscription> it = c.subscriptions.values().iterator(); it.hasNext(); ) {
            Subscription s = it.next();
            s.removed = true;
            index.remove(s);
            it.remove();
        }
        if (c.clientName != null && byName.get(c.clientName) == c) {
            byName.remove(c.clientName);
        }
    }

    // ---------------------------------------------------------------- acks and writes

    private void succeed(Connection c, Header h, String subId) {
        int mask = h.ackTypes() & (AckType.PROCESSED.bit() | AckType.PERSISTED.bit());
        if (mask == 0) {
            return;
        }
        if (AckType.PROCESSED.in(mask)) {
            ack(c, h, AckType.PROCESSED, null, subId);
        }
        if (AckType.PERSISTED.in(mask) && (h.command().isWrite() || h.command() == Command.FLUSH)) {
            if (txlog != null) {
                persistedAfterLog(c, h, null, false);
            } else {
                ack(c, h, AckType.PERSISTED, null, subId);
            }
        }
    }

    /** Reports a failed command on each ack type that can carry a failure and was requested. */
    private void fail(Connection c, Header h, String reason) {
        if (log.isDebugEnabled()) {
            log.debug("{}: {} failed: {}", c.describe(), h, reason);
        }
        boolean sent = false;
        if (AckType.PROCESSED.in(h.ackTypes())) {
            ack(c, h, AckType.PROCESSED, reason);
            sent = true;
        }
        if (AckType.PERSISTED.in(h.ackTypes()) && h.command().isWrite()) {
            ack(c, h, AckType.PERSISTED, reason);
            sent = true;
        }
        if (!sent && AckType.COMPLETED.in(h.ackTypes())) {
            ack(c, h, AckType.COMPLETED, reason);
        }
    }

    private void ack(Connection c, Header h, AckType type, String failureReason) {
        ack(c, h, type, failureReason, null);
    }

    private void ack(Connection c, Header h, AckType type, String failureReason, String subId) {
        Header ack = ackHeader(h, type, failureReason == null ? "success" : "failure", failureReason);
        if (subId != null) {
            ack.subId(subId);
        } else if (h.subId() != null) {
            ack.subId(h.subId());
        }
        write(c, ack, null);
    }

    private static Header ackHeader(Header h, AckType type, String status, String reason) {
        Header ack = new Header().command(Command.ACK).ackType(type).commandId(h.commandId()).status(status)
                .reason(reason);
        if (h.topic() != null) {
            ack.topic(h.topic());
        }
        if (h.sequence() != Header.ABSENT && h.command().isWrite()) {
            ack.sequence(h.sequence());
        }
        if (h.queryId() != null) {
            ack.queryId(h.queryId());
        }
        return ack;
    }

    private void write(Connection c, Header h, byte[] payload) {
        Frames.write(pendingFor(c), h, payload);
    }

    /**
     * Where frames for {@code c} go now: normally its pending batch, but while a query is being
     * written to it, the newest query's held buffer, so the query stays atomic.
     */
    private ByteBuf pendingFor(Connection c) {
        if (!c.queries.isEmpty()) {
            QueryCursor q = c.queries.peekLast();
            if (q.held == null) {
                q.held = alloc.directBuffer(1024);
            }
            return q.held;
        }
        return livePending(c);
    }

    private ByteBuf livePending(Connection c) {
        if (c.pending == null) {
            c.pending = alloc.directBuffer(8192);
        }
        if (!c.inFlushList) {
            c.inFlushList = true;
            flushList.add(c);
        }
        return c.pending;
    }

    static String publisherHash(String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return Long.toUnsignedString(h);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (home.inEventLoop() || home.isTerminated()) {
            releaseAll(); // nothing else touches engine state now
        } else {
            try {
                home.submit(this::releaseAll).awaitUninterruptibly(5, TimeUnit.SECONDS);
            } catch (RejectedExecutionException stopped) {
                releaseAll();
            }
        }
        if (txlog != null) {
            txlog.close();
        }
    }
}
