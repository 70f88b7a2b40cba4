package dev.farad.server.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.protocol.HeaderCodec;
import dev.farad.protocol.Reason;
import dev.farad.server.Authenticator;
import dev.farad.filter.FilterLimits;
import dev.farad.server.BrokerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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

    private final BrokerConfig config;
    private final ByteBufAllocator alloc;
    private final MpscUnboundedXaddArrayQueue<Object> queue = new MpscUnboundedXaddArrayQueue<>(4096);
    private final ConcurrentLinkedQueue<Channel> paused = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean sleeping;
    private volatile boolean running = true;

    // Engine-thread state.
    private final TopicIndex index = new TopicIndex();
    private final Map<String, Connection> byName = new HashMap<>();
    private final Map<String, Long> lastPublisherSequence = new HashMap<>();
    private final List<Connection> flushList = new ArrayList<>();
    private final List<Connection> targets = new ArrayList<>();
    private final StateOfTheWorld sow;
    private final List<Connection> querying = new ArrayList<>();
    private long messageNumber;
    private long sowSequence;
    private byte[] scratch = new byte[4096];

    public Engine(BrokerConfig config, ByteBufAllocator alloc) {
        this.config = config;
        this.alloc = alloc;
        this.sow = new StateOfTheWorld(config.sowTopics());
        this.thread = new Thread(this::run, "farad-engine-0");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Hands a task to the engine; callable from any thread. */
    void submit(Object task) {
        queue.offer(task);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /** Called by an I/O thread after it submitted: stops reading when the engine is behind. */
    void throttle(Channel channel) {
        if (queue.size() > HIGH_WATER && channel.config().isAutoRead()) {
            channel.config().setAutoRead(false);
            paused.add(channel);
        }
    }

    private void run() {
        while (running) {
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
            if (!sow.isEmpty()) {
                sow.expire(System.nanoTime(), this::onExpired);
            }
            flushBatch();
            if (!paused.isEmpty() && queue.size() < LOW_WATER) {
                Channel ch;
                while ((ch = paused.poll()) != null) {
                    ch.config().setAutoRead(true);
                }
            }
            if (n == 0) {
                sleeping = true;
                if (queue.isEmpty() && running) {
                    // Queries waiting for their connection to drain are retried soon.
                    LockSupport.parkNanos(querying.isEmpty() ? TimeUnit.MILLISECONDS.toNanos(100)
                            : TimeUnit.MICROSECONDS.toNanos(200));
                }
                sleeping = false;
            }
        }
        Object task;
        while ((task = queue.poll()) != null) {
            if (task instanceof Inbound in) {
                in.frame().release();
            }
        }
        for (Connection c : flushList) {
            c.discardPending();
        }
    }

    private void handle(Object task) {
        if (task instanceof Inbound in) {
            try {
                onFrame(in.connection(), in.frame());
            } finally {
                in.frame().release();
            }
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
            if (c.queuedBytes.get() + (c.pending == null ? 0 : c.pending.readableBytes()) > config.maxOutboundBytes()) {
                c.inFlushList = false;
                c.discardPending();
                disconnect(c, Reason.DISCONNECT_SLOW_CLIENT + " (over " + config.maxOutboundBytes()
                        + " bytes queued)");
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
        Authenticator.Result result;
        try {
            result = config.authenticator().authenticate(h.userId(), h.password(), c.channel.remoteAddress());
        } catch (RuntimeException e) {
            log.error("authenticator failed for {}; refusing the logon", c.describe(), e);
            result = Authenticator.Result.refused();
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
        c.loggedOn = true;
        byName.put(name, c);
        log.info("{} logged on as '{}'{}", c.describe(), name, h.userId() == null ? "" : " (user '" + h.userId() + "')");
        if (AckType.PROCESSED.in(h.ackTypes())) {
            long last = lastPublisherSequence.getOrDefault(name, 0L);
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
        String problem = TopicNames.publishProblem(topic);
        if (problem != null) {
            fail(c, h, Reason.INVALID_TOPIC + ": " + problem);
            return;
        }
        if (h.sequence() > 0) {
            lastPublisherSequence.merge(c.clientName, h.sequence(), Math::max);
        }
        SowTopic st = sow.isEmpty() ? null : sow.topic(topic);
        String key = null;
        SowRecord previous = null;
        byte[] stored = null;
        if (st != null) {
            stored = bytesOf(payload);
            try {
                key = StateOfTheWorld.keyOf(st, stored, h.sowKey());
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.BAD_SOW_KEY + ": " + e.getMessage());
                return;
            }
            previous = st.records.get(key);
            if (h.command() == Command.DELTA_PUBLISH && previous != null) {
                try {
                    stored = JsonMerge.merge(previous.data(), stored);
                } catch (IllegalArgumentException e) {
                    fail(c, h, Reason.SOW_STORE_FAILED + ": delta_publish needs JSON objects: " + e.getMessage());
                    return;
                }
                payload = Unpooled.wrappedBuffer(stored);
            }
            long now = System.nanoTime();
            sow.put(st, new SowRecord(key, stored, ++sowSequence, StateOfTheWorld.expiresAt(st, h.expiration(), now),
                    h.correlationId()));
        }
        TopicIndex.Node node = index.route(topic);
        if (node != null && !node.subscriptions.isEmpty()) {
            deliver(node, h, payload, key);
            if (previous != null) {
                outOfFocusAfterUpdate(node, previous, stored);
            }
        }
        if ((h.ackTypes() & (AckType.PROCESSED.bit() | AckType.PERSISTED.bit())) != 0) {
            succeed(c, h, null);
        }
    }

    private static byte[] bytesOf(ByteBuf payload) {
        byte[] b = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), b);
        return b;
    }

    private void deliver(TopicIndex.Node node, Header h, ByteBuf payload, String sowKey) {
        long mark = ++messageNumber;
        targets.clear();
        int dataLength = -1;
        for (Subscription s : node.subscriptions) {
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
            writeDelivery(targets.get(i), node, h, payload, sowKey);
        }
        targets.clear();
    }

    private int copyToScratch(ByteBuf payload) {
        int n = payload.readableBytes();
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        payload.getBytes(payload.readerIndex(), scratch, 0, n);
        return n;
    }

    private void writeDelivery(Connection t, TopicIndex.Node node, Header h, ByteBuf payload, String sowKey) {
        ByteBuf out = pendingFor(t);
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        out.writeBytes(DELIVERY_PREFIX);
        out.writeBytes(node.quotedTopic);
        if (t.extraSids != null && t.extraSids.length() > 0) {
            out.writeBytes(SIDS_KEY);
            HeaderCodec.writeJsonString(out, t.firstMatch.subId + t.extraSids);
        } else {
            out.writeBytes(t.firstMatch.subIdField);
        }
        if (h.correlationId() != null) {
            out.writeBytes(CORRELATION_KEY);
            HeaderCodec.writeJsonString(out, h.correlationId());
        }
        if (sowKey != null) {
            out.writeBytes(SOW_KEY_KEY);
            HeaderCodec.writeJsonString(out, sowKey);
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
                filter = Filters.compile(filterText, FilterLimits.DEFAULT);
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.BAD_FILTER + ": " + e.getMessage());
                return;
            }
        }
        if (existing != null) {
            removeSubscription(existing);
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
        Subscription s = new Subscription(c, subId, topic, pattern, filter, filterText, h.options());
        succeed(c, h, subId);
        if (query) {
            // Snapshot first, then subscribe: both in this one engine step, so every later
            // publish is live (after group_end) and none is in the result.
            startQuery(c, h, h.queryId() != null ? h.queryId() : subId, subId, pattern, filter, orderBy);
        }
        c.subscriptions.put(subId, s);
        index.add(s);
    }

    private void query(Connection c, Header h) {
        String topic = h.topic();
        if (topic == null || topic.isEmpty()) {
            fail(c, h, Reason.NO_TOPIC);
            return;
        }
        Pattern pattern = null;
        if (TopicNames.isRegex(topic) && !TopicNames.hasOption(h.options(), "non_regex_topic")) {
            try {
                pattern = Pattern.compile(topic);
            } catch (PatternSyntaxException e) {
                fail(c, h, Reason.BAD_REGEX_TOPIC + ": " + e.getDescription());
                return;
            }
        }
        if (!sow.declares(topic, pattern)) {
            fail(c, h, Reason.INVALID_TOPIC + ": '" + topic + "' has no State of the World");
            return;
        }
        MessageFilter filter = null;
        if (h.filter() != null && !h.filter().isBlank()) {
            try {
                filter = Filters.compile(h.filter(), FilterLimits.DEFAULT);
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.BAD_FILTER + ": " + e.getMessage());
                return;
            }
        }
        OrderBy orderBy = null;
        if (h.orderBy() != null && !h.orderBy().isBlank()) {
            try {
                orderBy = OrderBy.parse(h.orderBy());
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.INVALID_ORDER_BY + ": " + e.getMessage());
                return;
            }
        }
        String queryId = h.queryId() != null ? h.queryId() : h.commandId();
        succeed(c, h, null);
        startQuery(c, h, queryId, null, pattern, filter, orderBy);
    }

    private void startQuery(Connection c, Header h, String queryId, String subId, Pattern pattern,
            MessageFilter filter, OrderBy orderBy) {
        List<SowTopic> topics = sow.matching(h.topic(), pattern);
        List<QueryCursor.Row> rows = new ArrayList<>();
        long scanned = 0;
        for (SowTopic t : topics) {
            for (SowRecord r : t.records.values()) {
                scanned++;
                if (filter == null || filter.matches(r.data(), 0, r.data().length)) {
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
        QueryCursor q = new QueryCursor(h.commandId(), queryId, subId, h.ackTypes(), rows, batchSize, scanned,
                matched, topics.size() > 1 || pattern != null);
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
            int budget = QUERY_CHUNK_BYTES;
            while (!c.queries.isEmpty() && budget > 0
                    && c.queuedBytes.get() < config.maxOutboundBytes() / 2) {
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
                q.release();
            }
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
        Pattern pattern = null;
        if (TopicNames.isRegex(topic)) {
            try {
                pattern = Pattern.compile(topic);
            } catch (PatternSyntaxException e) {
                fail(c, h, Reason.BAD_REGEX_TOPIC + ": " + e.getDescription());
                return;
            }
        }
        if (!sow.declares(topic, pattern)) {
            fail(c, h, Reason.INVALID_TOPIC + ": '" + topic + "' has no State of the World");
            return;
        }
        MessageFilter filter = null;
        if (byFilter) {
            try {
                filter = Filters.compile(h.filter(), FilterLimits.DEFAULT);
            } catch (IllegalArgumentException e) {
                fail(c, h, Reason.BAD_FILTER + ": " + e.getMessage());
                return;
            }
        }
        long scanned = 0;
        long deleted = 0;
        for (SowTopic t : sow.matching(topic, pattern)) {
            List<SowRecord> victims = new ArrayList<>();
            if (byFilter) {
                for (SowRecord r : t.records.values()) {
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
            for (SowRecord r : victims) {
                sow.remove(t, r.key());
                deleted++;
                outOfFocus(t, r, "deleted");
            }
        }
        succeed(c, h, null);
        if (AckType.COMPLETED.in(h.ackTypes())) {
            ack(c, h, AckType.COMPLETED, null);
        }
        if (AckType.STATS.in(h.ackTypes())) {
            write(c, ackHeader(h, AckType.STATS, "success", null).recordsDeleted(deleted).matches(deleted)
                    .topicMatches(scanned), null);
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
                    && (s.filter == null || s.filter.matches(gone.data(), 0, gone.data().length))) {
                writeOof(s, t.topic, gone.key(), reason, gone.data());
            }
        }
    }

    /** Tells oof subscribers whose filter matched the old record but not the new one. */
    private void outOfFocusAfterUpdate(TopicIndex.Node node, SowRecord previous, byte[] now) {
        for (Subscription s : node.subscriptions) {
            if (s.oof && s.filter != null && !s.connection.closed
                    && s.filter.matches(previous.data(), 0, previous.data().length)
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
        s.connection.subscriptions.remove(s.subId);
        index.remove(s);
    }

    // ---------------------------------------------------------------- connections

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
        if (c.closed && c.clientName == null && c.subscriptions.isEmpty()) {
            return;
        }
        c.closed = true;
        for (Iterator<Subscription> it = c.subscriptions.values().iterator(); it.hasNext(); ) {
            index.remove(it.next());
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
        if (AckType.PERSISTED.in(mask) && h.command().isWrite()) {
            ack(c, h, AckType.PERSISTED, null, subId);
        } else if (AckType.PERSISTED.in(mask) && h.command() == Command.FLUSH) {
            ack(c, h, AckType.PERSISTED, null, subId);
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
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
