package dev.farad.bench.load;

import dev.farad.client.BackPressure;
import dev.farad.client.BookmarkStore;
import dev.farad.client.Client;
import dev.farad.client.Command;
import dev.farad.client.CommandId;
import dev.farad.client.FilePublishStore;
import dev.farad.client.FsyncPolicy;
import dev.farad.client.Message;
import dev.farad.client.exceptions.CommandException;
import dev.farad.client.exceptions.PublishStoreFullException;
import dev.farad.client.exceptions.TimedOutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The scenarios of issue #8. Every scenario publishes for {@code warmup + duration} and measures
 * only the {@code duration} part. Publishing is bounded by a window: the publisher never has more
 * than {@code window} messages sent and not yet received by the slowest subscriber, so a fast
 * publisher cannot bury a slow system in buffered messages and the figure is what the system
 * delivers. Timing is measured, never asserted.
 */
public final class Scenarios {
    /** How long the window may stay full before the harness counts the missing messages as lost. */
    private static final long STALL_NS = TimeUnit.SECONDS.toNanos(2);

    private final Settings s;

    /** The knobs every scenario shares. */
    public record Settings(int size, Duration warmup, Duration duration, int window, int rate, int subscribers,
            int filters, int filterConnections, int sowRecords, int round) {}

    public Scenarios(Settings settings) {
        this.s = settings;
    }

    /** A subscriber's received count; written by one delivery thread. */
    static final class Counter implements Driver.Sink {
        final AtomicLong count = new AtomicLong();

        @Override
        public void onMessage(byte[] payload) {
            count.lazySet(count.get() + 1);
        }
    }

    // ---------------------------------------------------------------- 1, 3: throughput and fan-out

    /** Scenario 1 ({@code subscribers == 1}) and 3: one publisher, N subscribers, received msg/s. */
    public Result throughput(Driver d, String scenario, int subscribers) {
        String topic = "bench-" + scenario;
        Counter[] counters = new Counter[subscribers];
        List<Driver.Subscriber> subs = new ArrayList<>();
        try (Driver.Publisher pub = d.publisher(topic)) {
            for (int i = 0; i < subscribers; i++) {
                counters[i] = new Counter();
                subs.add(d.subscribe(topic, null, counters[i]));
            }
            Run r = pump(pub, () -> min(counters), subscribers, new byte[][] {Payload.create(s.size, 0)});
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("msgs_per_s", r.deliveredPerSecond);
            if (subscribers > 1) {
                f.put("publishes_per_s", r.deliveredPerSecond / subscribers);
            }
            f.put("lost", (double) r.lost);
            return new Result(d.system(), scenario, s.round, f, null);
        } finally {
            subs.forEach(Driver.Subscriber::close);
        }
    }

    private static long min(Counter[] counters) {
        long m = Long.MAX_VALUE;
        for (Counter c : counters) {
            m = Math.min(m, c.count.get());
        }
        return m;
    }

    private static long sum(Counter[] counters) {
        long m = 0;
        for (Counter c : counters) {
            m += c.count.get();
        }
        return m;
    }

    /** What {@link #pump} saw in its measured interval. */
    private record Run(double deliveredPerSecond, long lost) {}

    /**
     * Publishes as fast as the window allows for warm-up plus duration.
     *
     * @param progress how many publishes the slowest subscriber has (or, for filtered fan-out, how
     *     many deliveries all subscribers have, which equals publishes when each matches one)
     * @param deliveriesPerPublish messages the subscribers receive per publish, for the rate
     */
    private Run pump(Driver.Publisher pub, java.util.function.LongSupplier progress, int deliveriesPerPublish,
            byte[][] payloads) {
        long start = System.nanoTime();
        long measureFrom = start + s.warmup.toNanos();
        long end = measureFrom + s.duration.toNanos();
        long sent = 0;
        long lost = 0;
        long seen = 0;
        long markSent = -1;
        long markSeen = 0;
        long markNs = 0;
        int n = payloads.length;
        while (true) {
            long now = System.nanoTime();
            if (markSent < 0 && now >= measureFrom) {
                markSent = sent;
                markSeen = progress.getAsLong() + lost;
                markNs = now;
            }
            if (now >= end) {
                break;
            }
            if (sent - seen >= s.window) {
                seen = progress.getAsLong() + lost;
                if (sent - seen >= s.window) {
                    pub.push();
                    long waitFrom = System.nanoTime();
                    long before = seen;
                    while (sent - (seen = progress.getAsLong() + lost) >= s.window) {
                        if (seen != before) { // still moving: slow, not lost
                            before = seen;
                            waitFrom = System.nanoTime();
                        } else if (System.nanoTime() - waitFrom > STALL_NS) {
                            lost += sent - seen; // dropped by the system: stop waiting for them
                            seen = sent;
                            break;
                        }
                        Thread.onSpinWait();
                        Thread.yield();
                    }
                }
                continue;
            }
            byte[] p = payloads[(int) (sent % n)];
            Payload.stamp(p, Payload.now());
            pub.publish(p);
            sent++;
        }
        long endSeen = progress.getAsLong() + lost;
        long endNs = System.nanoTime();
        pub.push();
        double perSecond = (endSeen - markSeen) * 1e9 / (endNs - markNs) * deliveriesPerPublish;
        // let the tail drain so the next scenario starts clean
        long drainUntil = System.nanoTime() + STALL_NS;
        while (progress.getAsLong() + lost < sent && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(1_000_000);
        }
        lost += Math.max(0, sent - progress.getAsLong() - lost);
        return new Run(perSecond, lost);
    }

    // ---------------------------------------------------------------- 2: latency at a fixed rate

    /** Records publish-to-receive time, measured from each message's scheduled send time. */
    static final class LatencySink implements Driver.Sink {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong count = new AtomicLong();
        volatile long measureFrom = Long.MAX_VALUE;

        @Override
        public void onMessage(byte[] payload) {
            long now = Payload.now();
            long scheduled = Payload.stampOf(payload);
            if (scheduled >= measureFrom) {
                histogram.recordValue(Math.max(0, now - scheduled));
            }
            count.lazySet(count.get() + 1);
        }
    }

    /**
     * Scenario 2: publishes at a fixed rate and stamps each message with the time it was
     * <em>scheduled</em> to go, not the time it went, so a stall in the publisher, the client or
     * the server shows up in every message it delayed (no coordinated omission).
     */
    public Result latency(Driver d) {
        String topic = "bench-latency";
        LatencySink sink = new LatencySink();
        Driver.Subscriber sub = d.subscribe(topic, null, sink);
        try (Driver.Publisher pub = d.publisher(topic)) {
            byte[] p = Payload.create(s.size, 0);
            long intervalNs = 1_000_000_000L / s.rate;
            long start = Payload.now() + 1_000_000;
            long measureFrom = start + s.warmup.toNanos();
            long end = measureFrom + s.duration.toNanos();
            sink.measureFrom = measureFrom;
            long sent = 0;
            long measured = 0;
            for (long next = start; next < end; next += intervalNs) {
                long now;
                while ((now = Payload.now()) < next) {
                    if (next - now > 200_000) {
                        LockSupport.parkNanos(next - now - 150_000);
                    } else {
                        Thread.yield(); // leave the core to the server and subscriber when they need it
                    }
                }
                Payload.stamp(p, next);
                pub.publish(p);
                pub.push();
                sent++;
                if (next >= measureFrom) {
                    measured++;
                }
            }
            long drainUntil = System.nanoTime() + STALL_NS;
            while (sink.count.get() < sent && System.nanoTime() < drainUntil) {
                LockSupport.parkNanos(1_000_000);
            }
            Histogram h = sink.histogram;
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("rate", (double) s.rate);
            putLatency(f, h);
            f.put("lost", (double) Math.max(0, measured - h.getTotalCount()));
            return new Result(d.system(), "latency", s.round, f, null);
        } finally {
            sub.close();
        }
    }

    /** Puts the percentiles of {@code h} (nanoseconds) as microseconds, then its sample count. */
    private static void putLatency(Map<String, Double> f, Histogram h) {
        f.put("p50_us", h.getValueAtPercentile(50) / 1e3);
        f.put("p90_us", h.getValueAtPercentile(90) / 1e3);
        f.put("p99_us", h.getValueAtPercentile(99) / 1e3);
        f.put("p99_9_us", h.getValueAtPercentile(99.9) / 1e3);
        f.put("max_us", h.getMaxValue() / 1e3);
        f.put("samples", (double) h.getTotalCount());
    }

    // ---------------------------------------------------------------- 5: filtered fan-out

    /**
     * Scenario 5: {@code filters} subscriptions on one topic, each with its own filter
     * {@code /g = i}, spread over {@code filterConnections} connections; the publisher cycles g, so
     * every message matches exactly one subscription and the server evaluates every filter on
     * every message.
     */
    public Result filtered(Driver d) {
        if (!d.supportsFilters()) {
            return Result.skipped(d.system(), "filtered", s.round, d.system() + " has no content filters");
        }
        String topic = "bench-filtered";
        int conns = Math.max(1, Math.min(s.filterConnections, s.filters));
        Counter[] counters = new Counter[conns];
        List<Driver.Subscriber> subs = new ArrayList<>();
        try (Driver.Publisher pub = d.publisher(topic)) {
            for (int c = 0; c < conns; c++) {
                counters[c] = new Counter();
                List<String> mine = new ArrayList<>();
                for (int i = c; i < s.filters; i += conns) {
                    mine.add("/g = " + i);
                }
                subs.add(d.subscribeMany(topic, mine.toArray(String[]::new), counters[c]));
            }
            byte[][] payloads = new byte[s.filters][];
            for (int i = 0; i < s.filters; i++) {
                payloads[i] = Payload.create(s.size, i);
            }
            Run r = pump(pub, () -> sum(counters), 1, payloads);
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("msgs_per_s", r.deliveredPerSecond);
            f.put("filter_evals_per_s", r.deliveredPerSecond * s.filters);
            f.put("subscriptions", (double) s.filters);
            f.put("lost", (double) r.lost);
            return new Result(d.system(), "filtered", s.round, f, null);
        } finally {
            subs.forEach(Driver.Subscriber::close);
        }
    }

    // ---------------------------------------------------------------- 6: SOW

    /**
     * Scenario 6 (Farad only): loads {@code sowRecords} records into {@code bench-sow} (keyed by
     * {@code /id}; the broker must declare it, {@code --embedded} does), then times: publishing
     * updates into the full SOW topic against publishing to a plain topic, and a selective query.
     */
    public Result sow(FaradDriver d) {
        Client c = d.client("sow");
        int n = s.sowRecords;
        String[] regions = {"eu", "us", "ap", "sa"};
        byte[] pad = "x".repeat(Math.max(0, s.size - 64)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.function.IntFunction<byte[]> record = i -> {
            String head = "{\"id\":" + i + ",\"region\":\"" + regions[i % 4] + "\",\"qty\":" + (i % 1000) + ",\"pad\":\"";
            byte[] h = head.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] out = Arrays.copyOf(h, h.length + pad.length + 2);
            System.arraycopy(pad, 0, out, h.length, pad.length);
            out[out.length - 2] = '"';
            out[out.length - 1] = '}';
            return out;
        };
        Map<String, Double> f = new LinkedHashMap<>();
        try {
            query(c, "bench-sow", "/id = -1"); // fails at once when the broker keeps no SOW for the topic
            double loadRate = publishBatch(c, "bench-sow", 0, n, record);
            f.put("records", (double) n);
            f.put("load_per_s", loadRate);
            // Batches of a few hundred milliseconds each: one collection or recompilation moves a
            // single batch a lot, so plain and SOW batches alternate and their medians are compared.
            int updates = Math.min(n, 200_000);
            // Unmeasured: the collections that move the freshly loaded records out of the young
            // generation happen here, not inside the first timed batches.
            publishBatch(c, "bench-sow", 0, updates, record);
            publishBatch(c, "bench-plain", 0, updates, record);
            double[] plain = new double[SOW_ROUNDS + 1];
            double[] sowRate = new double[SOW_ROUNDS];
            plain[0] = publishBatch(c, "bench-plain", 0, updates, record);
            for (int round = 0; round < SOW_ROUNDS; round++) {
                sowRate[round] = publishBatch(c, "bench-sow", 0, updates, record);
                plain[round + 1] = publishBatch(c, "bench-plain", 0, updates, record);
            }
            double sowMedian = median(sowRate);
            double plainMedian = median(plain);
            f.put("sow_update_per_s", sowMedian);
            f.put("plain_publish_per_s", plainMedian);
            f.put("sow_vs_plain", sowMedian / plainMedian);
            f.put("sow_vs_plain_min", Arrays.stream(sowRate).min().orElse(0) / plainMedian);
            String filter = "/region = 'eu' AND /qty = 100";
            long[] times = new long[5];
            long returned = 0;
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                returned = query(c, "bench-sow", filter);
                times[i] = System.nanoTime() - t0;
            }
            Arrays.sort(times);
            f.put("query_returned", (double) returned);
            f.put("query_median_ms", times[times.length / 2] / 1e6);
            f.put("query_min_ms", times[0] / 1e6);
            return new Result(d.system(), "sow", s.round, f, "query: " + filter);
        } catch (RuntimeException e) {
            return Result.skipped(d.system(), "sow", s.round, "the broker refused the SOW scenario (" + e.getMessage()
                    + "); start it with --embedded or declare sow topic bench-sow keyed by /id");
        }
    }

    /** How many SOW update batches the SOW scenario times, each between two plain batches. */
    private static final int SOW_ROUNDS = 5;

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Publishes records [from, to) and returns publishes/s, flushing every 8,192. */
    private static double publishBatch(Client c, String topic, int from, int to,
            java.util.function.IntFunction<byte[]> record) {
        long t0 = System.nanoTime();
        for (int i = from; i < to; i++) {
            c.publish(topic, record.apply(i));
            if ((i & 8191) == 8191) {
                c.flush(Duration.ofSeconds(60));
            }
        }
        c.flush(Duration.ofSeconds(60));
        return (to - from) * 1e9 / (System.nanoTime() - t0);
    }

    private static long query(Client c, String topic, String filter) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong count = new AtomicLong();
        String[] failure = new String[1];
        c.executeAsync(new Command("sow").topic(topic).filter(filter).batchSize(100), (Message m) -> {
            if ("sow".equals(m.command())) {
                count.incrementAndGet();
            } else if ("group_end".equals(m.command())) {
                done.countDown();
            } else if (m.isFailure()) {
                failure[0] = m.reason();
                done.countDown();
            }
        });
        try {
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("sow query did not end in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return count.get();
    }

    // ---------------------------------------------------------------- memory: idle connections

    /**
     * The memory target (issue #8): {@code connections} idle connections holding
     * {@code subscriptions} subscriptions (distinct topics) in all, against an in-process broker so
     * the heap can be read. The connections are plain sockets that log on and subscribe without
     * asking for acks (no client threads); what they cost on this side (a few hundred bytes each)
     * is included in the figure, so it slightly overstates the broker.
     */
    public Result memory(String host, int port, java.util.function.IntSupplier brokerConnections, int connections,
            int subscriptions) {
        java.lang.management.MemoryMXBean mem = java.lang.management.ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(mem);
        List<java.nio.channels.SocketChannel> open = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            int sub = 0;
            for (int i = 0; i < connections; i++) {
                java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                        new java.net.InetSocketAddress(host, port));
                open.add(ch);
                io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
                dev.farad.protocol.Frames.write(b, new dev.farad.protocol.Header()
                        .command(dev.farad.protocol.Command.LOGON).clientName("bench-mem-" + i), (byte[]) null);
                int mine = subscriptions / connections + (i < subscriptions % connections ? 1 : 0);
                for (int j = 0; j < mine; j++, sub++) {
                    dev.farad.protocol.Frames.write(b, new dev.farad.protocol.Header()
                            .command(dev.farad.protocol.Command.SUBSCRIBE).topic("bench.mem." + sub)
                            .subId("s" + sub).commandId("c" + sub), (byte[]) null);
                }
                java.nio.ByteBuffer nio = b.nioBuffer();
                while (nio.hasRemaining()) {
                    ch.write(nio);
                }
                b.release();
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (brokerConnections.getAsInt() < connections && System.nanoTime() < until) {
                LockSupport.parkNanos(10_000_000);
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // let the engine take the last subscribes
            long after = usedAfterGc(mem);
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("connections", (double) brokerConnections.getAsInt());
            f.put("subscriptions", (double) sub);
            f.put("heap_mib", (after - before) / (1024.0 * 1024.0));
            f.put("bytes_per_connection", (after - before) / (double) connections);
            f.put("setup_s", (System.nanoTime() - t0) / 1e9);
            return new Result("farad", "memory", s.round, f, "heap growth after GC, broker and these sockets");
        } catch (java.io.IOException e) {
            return Result.skipped("farad", "memory", s.round, "opened " + open.size() + " connections, then: " + e
                    + " (raise ulimit -n: each connection takes two descriptors in this process)");
        } finally {
            for (java.nio.channels.SocketChannel ch : open) {
                try {
                    ch.close();
                } catch (java.io.IOException e) {
                    // closing at the end
                }
            }
        }
    }

    private static long usedAfterGc(java.lang.management.MemoryMXBean mem) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            LockSupport.parkNanos(200_000_000);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    // ---------------------------------------------------------------- 4: persisted publishes

    /** The topic of scenario 4; the broker must log it ({@code --embedded} does). */
    public static final String PERSISTED_TOPIC = "bench-persisted";

    /** How long the probes of scenario 4 wait for the broker before the scenario is skipped. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Scenario 4 (Farad only): publishes to {@link #PERSISTED_TOPIC} through a {@link
     * FilePublishStore} as fast as the window allows, and reports persisted publishes/s (those whose
     * persisted ack arrived in the measured interval) and the time from each publish to its
     * persisted ack (HdrHistogram). The window bounds the writes sent and not yet acknowledged, and
     * the store is bounded by it too, so it never grows without limit. Nobody subscribes: the figure
     * is the write path, client store, broker log and its fsync.
     *
     * <p>Why a {@code FilePublishStore} with {@link FsyncPolicy#ALWAYS}: that is what a publisher
     * that must lose nothing runs with. A {@code MemoryPublishStore} covers a lost connection but
     * not the publisher process dying, and {@code FsyncPolicy.NEVER} not the machine; so the cost of
     * the client's own fsync per publish and per discard belongs in the figure. The store lives in a
     * temporary directory deleted afterwards.
     *
     * <p>The latency is taken at full speed, not at a fixed rate: when the broker's log is the
     * slower side the window fills and each write also waits behind earlier ones (up to {@code
     * window / rate}); when the client's fsync per publish is the slower side, as on the machine in
     * docs/PERFORMANCE.md, only a few writes are ever in flight. Called on the harness thread;
     * blocks for warm-up plus duration plus at most a few seconds of probing and draining.
     *
     * @return the figures, or a skipped result when the broker does not log the topic (a
     *     persisted ack would then mean no write) or stops acknowledging
     * @throws dev.farad.client.exceptions.FaradException if the client cannot connect or log on
     */
    public Result persisted(FaradDriver d) {
        AtomicLong failed = new AtomicLong();
        try (TempDirectory dir = TempDirectory.create("store");
                FilePublishStore file = FilePublishStore.open(dir.path().resolve("bench.pub"), FsyncPolicy.ALWAYS,
                        s.window, BackPressure.block(Duration.ofNanos(STALL_NS)))) {
            AckTimingStore store = new AckTimingStore(file, s.window);
            Client c = d.client("persisted", store, w -> failed.incrementAndGet());
            // Closing the publisher closes the client before the store: its receive thread discards into the file.
            try (Driver.Publisher pub = FaradDriver.publisher(c, PERSISTED_TOPIC)) {
                String notLogged = notLogged(c);
                if (notLogged != null) {
                    return Result.skipped(d.system(), "persisted", s.round, notLogged);
                }
                long base = store.acked();
                store.measureFrom(System.nanoTime() + s.warmup.toNanos());
                Run r = pump(pub, () -> store.acked() - base, 1, new byte[][] {Payload.create(s.size, 0)});
                Histogram h = store.measured();
                Map<String, Double> f = new LinkedHashMap<>();
                f.put("persisted_per_s", r.deliveredPerSecond);
                putLatency(f, h);
                f.put("lost", (double) r.lost);
                f.put("failed", (double) failed.get());
                return new Result(d.system(), "persisted", s.round, f,
                        "FilePublishStore fsync always; latency from publish to persisted ack");
            } catch (PublishStoreFullException e) {
                return Result.skipped(d.system(), "persisted", s.round, "the broker stopped sending persisted acks ("
                        + e.getMessage() + ")");
            }
        }
    }

    /**
     * Whether the broker logs {@link #PERSISTED_TOPIC}, found out without waiting long: a broker
     * that does not log it sends persisted acks at once (docs/STORAGE.md), so a missing ack cannot
     * tell, but it refuses a bookmark subscription to a topic it does not log. Then one publish
     * must be persisted within {@link #PROBE_TIMEOUT}, so a broker whose log is stuck skips the
     * scenario instead of stalling it.
     *
     * @return {@code null} when it does, otherwise why not and what the broker needs
     */
    private String notLogged(Client c) {
        String needs = "; start the broker with --embedded, or give its config file dataDirectory=<a directory> and"
                + " log.bench.topic=" + PERSISTED_TOPIC + " (docs/CONFIG.md)";
        try {
            CommandId probe = c.bookmarkSubscribe(m -> {}, PERSISTED_TOPIC, BookmarkStore.NOW, null, PROBE_TIMEOUT);
            c.unsubscribe(probe);
        } catch (CommandException | TimedOutException e) {
            return "the broker does not log topic " + PERSISTED_TOPIC + ", so a persisted ack would mean no write ("
                    + e.getMessage() + ")" + needs;
        }
        try {
            c.publish(PERSISTED_TOPIC, Payload.create(s.size, 0));
            c.publishFlush(PROBE_TIMEOUT);
        } catch (TimedOutException e) {
            return "no persisted ack within " + PROBE_TIMEOUT.toSeconds() + " s (" + e.getMessage() + ")" + needs;
        }
        return null;
    }
}
