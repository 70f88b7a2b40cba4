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
    private long messageNumber;
    private byte[] scratch = new byte[4096];

    public Engine(BrokerConfig config, ByteBufAllocator alloc) {
        this.config = config;
        this.alloc = alloc;
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
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
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
            case SOW, SOW_DELETE -> fail(c, h, Reason.INVALID_TOPIC + ": topic '" + h.topic()
                    + "' has no State of the World");
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
        TopicIndex.Node node = index.route(topic);
        if (node != null && !node.subscriptions.isEmpty()) {
            deliver(node, h, payload);
        }
        if ((h.ackTypes() & (AckType.PROCESSED.bit() | AckType.PERSISTED.bit())) != 0) {
            succeed(c, h, null);
        }
    }

    private void deliver(TopicIndex.Node node, Header h, ByteBuf payload) {
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
            writeDelivery(targets.get(i), node, h, payload);
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

    private void writeDelivery(Connection t, TopicIndex.Node node, Header h, ByteBuf payload) {
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
        out.writeByte('}');
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
        if (out.readableBytes() > EARLY_FLUSH_BYTES) {
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
        Subscription s = new Subscription(c, subId, topic, pattern, filter, filterText, h.options());
        c.subscriptions.put(subId, s);
        index.add(s);
        if (query) {
            // No topic has a State of the World yet: the query part is an empty group.
            Header begin = new Header().command(Command.GROUP_BEGIN).queryId(subId).commandId(h.commandId());
            write(c, begin, null);
            write(c, new Header().command(Command.GROUP_END).queryId(subId).commandId(h.commandId()), null);
        }
        succeed(c, h, subId);
        if (query && AckType.COMPLETED.in(h.ackTypes())) {
            write(c, ackHeader(h, AckType.COMPLETED, "success", null).subId(subId), null);
        }
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

    private ByteBuf pendingFor(Connection c) {
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
