package dev.farad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.client.Client;
import dev.farad.client.Message;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.SowTopicConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throws random and mutated frames at a live broker from several connections while a well-behaved
 * client publishes and subscribes through it. The broker must stay up, its heap must stay bounded,
 * and the well-behaved client must see no error and every one of its messages, in order.
 *
 * <p>Everything is on 127.0.0.1. The run lasts {@code -Dfarad.netfuzz.seconds} (default 6) with
 * the seed from {@code -Dfarad.netfuzz.seed} (default: random, printed on failure); see {@code
 * docs/SECURITY.md} for a long run.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class NetworkFuzzTest {
    private static final int FUZZERS = 4;
    private static final long SECONDS = Long.getLong("farad.netfuzz.seconds", 6);
    private static final long SEED = Long.getLong("farad.netfuzz.seed", System.nanoTime());
    private static final String NORMAL_TOPIC = "calm.orders";

    @Test
    void shouldKeepServingANormalClientWhileOthersSendGarbage() throws Exception {
        BrokerConfig config = BrokerConfig.builder().port(0).maxFrameBytes(256 * 1024).maxHeaderBytes(8 * 1024)
                .maxConnections(256).maxSubscriptionsPerConnection(64).maxFilterLength(512).maxFilterDepth(16)
                .maxOutboundBytes(1024 * 1024).logonTimeout(Duration.ofSeconds(1))
                .sowTopic(SowTopicConfig.keyed("fuzz\\..*", "/id")).build();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Broker broker = Broker.start(config); Client normal = new Client("calm")) {
            List<Throwable> clientErrors = new CopyOnWriteArrayList<>();
            normal.setExceptionListener(clientErrors::add);
            normal.connect(broker.uri());
            normal.logon(Duration.ofSeconds(5));
            ConcurrentLinkedQueue<Long> received = new ConcurrentLinkedQueue<>();
            normal.subscribe((Message m) -> received.add(Long.parseLong(m.dataAsString().replaceAll("\\D", ""))),
                    NORMAL_TOPIC, null, Duration.ofSeconds(5));
            System.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong attacks = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(FUZZERS, r -> {
                Thread t = new Thread(r, "netfuzz");
                t.setDaemon(true);
                return t;
            });
            List<Future<?>> fuzzers = new ArrayList<>();
            for (int i = 0; i < FUZZERS; i++) {
                Random random = new Random(SEED + i);
                fuzzers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        attack(broker.port(), random);
                        attacks.incrementAndGet();
                    }
                }));
            }
            long sent = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            while (System.nanoTime() < end) {
                normal.publish(NORMAL_TOPIC, "{\"n\":" + sent + "}");
                sent++;
                if (sent % 50 == 0) {
                    normal.flush(Duration.ofSeconds(10)); // also proves the broker still answers promptly
                }
            }
            stop.set(true);
            for (Future<?> f : fuzzers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long total = sent;
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= total);
            String why = "seed " + SEED + ", " + attacks.get() + " attacking connections";
            List<Long> inOrder = new ArrayList<>(received);
            assertThat(inOrder).as(why).hasSize((int) total);
            for (int i = 0; i < inOrder.size(); i++) {
                assertThat(inOrder.get(i)).as(why).isEqualTo(i);
            }
            assertThat(clientErrors).as(why).isEmpty();
            assertThat(normal.isLoggedOn()).as(why).isTrue();
            await(why).atMost(Duration.ofSeconds(10)).until(() -> broker.connectionCount() == 1);
            System.gc();
            long growth = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            assertThat(growth).as(why + ": heap growth").isLessThan(64L * 1024 * 1024);
            assertThat(attacks.get()).isPositive();
        }
    }

    /** One hostile connection: maybe a logon, then a burst of random or mutated frames. */
    private static void attack(int port, Random r) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoLinger(true, 0);
            OutputStream out = s.getOutputStream();
            if (r.nextBoolean()) {
                out.write(frame(new Header().command(Command.LOGON).commandId("l").clientName("fuzz-" + r.nextInt(8))
                        .userId("u").password("p").ackTypes(AckType.PROCESSED.bit()), null));
            }
            int frames = 1 + r.nextInt(20);
            for (int i = 0; i < frames; i++) {
                out.write(r.nextInt(4) == 0 ? randomBytes(r) : mutate(template(r), r));
            }
            out.flush();
            if (r.nextInt(8) == 0) {
                s.getInputStream().read(new byte[1024]); // sometimes read an answer, as a client would
            }
        } catch (IOException expected) {
            // the broker closes connections that misbehave
        }
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(2048)];
        r.nextBytes(b);
        return b;
    }

    private static final String[] TOPICS = {"fuzz.a", "fuzz.b", "fuzz\\..*", ".*", "(a+)+$", "", "[", "x".repeat(3000)};
    private static final String[] FILTERS = {"/id > 3", "/a LIKE '(x+x+)+y'", "(".repeat(40) + "1=1" + ")".repeat(40),
        "/a IN (" + "1,".repeat(300) + "1)", "NOT NOT NOT /x", "/a = 'unterminated", "1 = 1"};

    private static byte[] template(Random r) {
        Command[] commands = {Command.PUBLISH, Command.DELTA_PUBLISH, Command.SUBSCRIBE, Command.SOW,
            Command.SOW_AND_SUBSCRIBE, Command.SOW_DELETE, Command.UNSUBSCRIBE, Command.HEARTBEAT, Command.FLUSH,
            Command.LOGON};
        Header h = new Header().command(commands[r.nextInt(commands.length)]).commandId("c" + r.nextInt(100))
                .topic(TOPICS[r.nextInt(TOPICS.length)]).ackTypes(r.nextInt(64));
        if (r.nextBoolean()) {
            h.filter(FILTERS[r.nextInt(FILTERS.length)]);
        }
        if (r.nextBoolean()) {
            h.subId("s" + r.nextInt(100));
        }
        if (r.nextInt(4) == 0) {
            h.options(r.nextBoolean() ? "replace,oof" : "start," + r.nextInt(3));
        }
        String payload = r.nextBoolean() ? "{\"id\":" + r.nextInt(50) + ",\"v\":\"" + "z".repeat(r.nextInt(100)) + "\"}"
                : "not json {{{";
        return frame(h, payload);
    }

    private static byte[] mutate(byte[] frame, Random r) {
        byte[] b = frame.clone();
        switch (r.nextInt(6)) {
            case 0 -> { } // valid, as a well-formed but hostile command
            case 1 -> {
                for (int i = 0; i < 1 + r.nextInt(8); i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length)); // truncated
            case 3 -> { // a lying length prefix
                int len = r.nextBoolean() ? r.nextInt() : r.nextInt(b.length * 2 + 1);
                b[0] = (byte) (len >>> 24);
                b[1] = (byte) (len >>> 16);
                b[2] = (byte) (len >>> 8);
                b[3] = (byte) len;
            }
            case 4 -> { // bytes inserted in the middle
                byte[] noise = randomBytes(r);
                int at = 4 + r.nextInt(b.length - 4);
                byte[] c = new byte[b.length + noise.length];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(noise, 0, c, at, noise.length);
                System.arraycopy(b, at, c, at + noise.length, b.length - at);
                b = c;
            }
            default -> { // the same frame many times
                int n = 2 + r.nextInt(50);
                byte[] c = new byte[b.length * n];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(b, 0, c, i * b.length, b.length);
                }
                b = c;
            }
        }
        return b;
    }

    private static byte[] frame(Header h, String payload) {
        ByteBuf buf = Unpooled.buffer();
        Frames.write(buf, h, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }
}
