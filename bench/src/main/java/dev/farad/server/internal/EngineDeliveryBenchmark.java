package dev.farad.server.internal;

import dev.farad.bench.load.Payload;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.FrameDecoder;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.server.BrokerConfig;
import dev.farad.server.SowTopicConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broker's hot path without sockets: publish frames are handed to a running {@link Engine}
 * exactly as the I/O threads hand them ({@code submit(new Inbound(connection, frame))}); the engine
 * routes them through its {@link TopicIndex}, evaluates filters, writes deliveries into each
 * subscriber's batch and flushes the batch to the subscriber's channel. The channels are
 * {@link EmbeddedChannel}s whose head counts and releases what the engine writes, so the figure is
 * the engine thread's own cost. It lives in the engine's package (in the bench module) to reach
 * the package-private seam; nothing in the server changed for it.
 *
 * <p>One operation is one publish; at most {@link #WINDOW} deliveries are outstanding. Shapes:
 * <ul>
 *   <li>{@code fanout1}, {@code fanout10}: 1 or 10 subscriber connections on one topic;
 *   <li>{@code topics10k}: 10,000 subscriptions on 10,000 topics (over 10 connections), each
 *       publish to the next topic: routing with 10,000 subscriptions, one delivery per publish;
 *   <li>{@code filters1k}: 1,000 subscriptions with filters {@code /g = i} on one topic, one match
 *       per publish (1,000 filter evaluations per publish);
 *   <li>{@code sow1m}: one subscriber on a SOW topic (key {@code /id}) preloaded with 1,000,000
 *       records; each publish replaces one of them (compare with {@code fanout1}).
 * </ul>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per publish in all threads:
 * the engine's, plus the benchmark thread's {@code Inbound} record (16 bytes with compressed oops).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class EngineDeliveryBenchmark {
    static final int WINDOW = 4096;
    static final int SOW_RECORDS = 1_000_000;

    @Param({"fanout1", "fanout10", "topics10k", "filters1k", "sow1m"})
    public String shape;

    private Engine engine;
    private Connection publisher;
    private final AtomicLong publisherFrames = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private Frame[] frames;
    private int deliveriesPerPublish;
    private long published;
    private long nextId = 1;

    /** The channel's head: counts the frames the engine wrote and drops them. */
    static final class CountingSink extends ChannelOutboundHandlerAdapter {
        private final AtomicLong frames;

        CountingSink(AtomicLong frames) {
            this.frames = frames;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf b = (ByteBuf) msg;
            long n = 0;
            int at = b.readerIndex();
            int end = b.writerIndex();
            while (at + 4 <= end) {
                at += 4 + b.getInt(at);
                n++;
            }
            b.release();
            frames.addAndGet(n);
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {}
    }

    private Connection connect(String name, AtomicLong counter) {
        EmbeddedChannel ch = new EmbeddedChannel(new CountingSink(counter));
        channels.add(ch);
        Connection c = new Connection(nextId++, ch);
        submit(c, new Header().command(Command.LOGON).commandId("logon").clientName(name)
                .ackTypes(AckType.PROCESSED.bit()), null);
        return c;
    }

    private Connection[] subscriberConnections(int n) {
        Connection[] subs = new Connection[n];
        for (int i = 0; i < n; i++) {
            subs[i] = connect("sub" + i, delivered);
        }
        return subs;
    }

    private static Frame frame(Header h, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        Frames.write(b, h, payload);
        Frame f = FrameDecoder.decodeOne(b, FrameDecoder.DEFAULT_MAX_FRAME_BYTES, FrameDecoder.DEFAULT_MAX_HEADER_BYTES);
        b.release();
        return f;
    }

    private void submit(Connection c, Header h, byte[] payload) {
        engine.submit(new Engine.Inbound(c, frame(h, payload)));
    }

    /** Sends a flush for {@code c} and waits until {@code counter} has seen its ack. */
    private void sync(Connection c, AtomicLong counter) {
        long before = counter.get();
        submit(c, new Header().command(Command.FLUSH).commandId("f").ackTypes(AckType.PROCESSED.bit()), null);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counter.get() == before) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("engine did not answer a flush in 60 s");
            }
            Thread.onSpinWait();
        }
    }

    private void subscribe(Connection c, String topic, String filter, int n, AtomicLong counter) {
        submit(c, new Header().command(Command.SUBSCRIBE).commandId("s" + n).subId("s" + n).topic(topic)
                .filter(filter).ackTypes(AckType.PROCESSED.bit()), null);
    }

    @Setup(Level.Trial)
    public void setUp() {
        BrokerConfig.Builder config = BrokerConfig.builder().port(0);
        if (shape.equals("sow1m")) {
            config.sowTopic(SowTopicConfig.keyed("bench-sow", "/id"));
        }
        engine = new Engine(config.build(), PooledByteBufAllocator.DEFAULT, null);
        engine.start();
        publisher = connect("publisher", publisherFrames);
        Header publish = new Header().command(Command.PUBLISH).topic("bench");
        switch (shape) {
            case "fanout1", "fanout10" -> {
                int n = shape.equals("fanout1") ? 1 : 10;
                for (int i = 0; i < n; i++) {
                    Connection s = connect("sub" + i, delivered);
                    subscribe(s, "bench", null, i, delivered);
                }
                frames = new Frame[] {frame(publish, Payload.create(128, 0))};
                deliveriesPerPublish = n;
            }
            case "topics10k" -> {
                Connection[] subs = subscriberConnections(10);
                frames = new Frame[10_000];
                for (int i = 0; i < frames.length; i++) {
                    subscribe(subs[i % subs.length], "bench." + i, null, i, delivered);
                    frames[i] = frame(new Header().command(Command.PUBLISH).topic("bench." + i), Payload.create(128, i));
                }
                deliveriesPerPublish = 1;
            }
            case "filters1k" -> {
                Connection[] subs = subscriberConnections(10);
                frames = new Frame[1_000];
                for (int i = 0; i < frames.length; i++) {
                    subscribe(subs[i % subs.length], "bench", "/g = " + i, i, delivered);
                    frames[i] = frame(publish, Payload.create(128, i));
                }
                deliveriesPerPublish = 1;
            }
            case "sow1m" -> {
                Header sowPublish = new Header().command(Command.PUBLISH).topic("bench-sow");
                for (int i = 0; i < SOW_RECORDS; i++) {
                    submit(publisher, sowPublish, sowRecord(i));
                    if (i % 10_000 == 9_999) {
                        sync(publisher, publisherFrames);
                    }
                }
                sync(publisher, publisherFrames);
                Connection s = connect("sub0", delivered);
                subscribe(s, "bench-sow", null, 0, delivered);
                frames = new Frame[10_000];
                for (int i = 0; i < frames.length; i++) {
                    frames[i] = frame(sowPublish, sowRecord(i * (SOW_RECORDS / frames.length)));
                }
                deliveriesPerPublish = 1;
            }
            default -> throw new IllegalArgumentException(shape);
        }
        sync(publisher, publisherFrames);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.get() < (shape.startsWith("fanout") ? deliveriesPerPublish * 2L : 20L)
                && System.nanoTime() < until) {
            Thread.onSpinWait(); // logon and subscribe acks of the subscribers
        }
        delivered.set(0);
        published = 0;
    }

    private static byte[] sowRecord(int id) {
        byte[] p = Payload.create(128, id);
        // {"ts":…,"g":id,…} becomes a record keyed by /id: same length, "g" renamed "id" needs one more byte
        String s = new String(p, java.nio.charset.StandardCharsets.US_ASCII).replace("\"g\":", "\"id\":")
                .replaceFirst("\"pad\":\"x", "\"pad\":\"");
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Benchmark
    public long publish() {
        Frame f = frames[(int) (published % frames.length)];
        f.payload().retain(); // the engine releases it after routing, as it does for a decoded frame
        engine.submit(new Engine.Inbound(publisher, f));
        published++;
        long limit = published * deliveriesPerPublish - WINDOW;
        while (delivered.get() < limit) {
            Thread.onSpinWait();
        }
        return published;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.get() < published * deliveriesPerPublish && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        engine.close();
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }
}
