package dev.farad.client;

import static dev.farad.client.ConnectionState.CONNECTED;
import static dev.farad.client.ConnectionState.DISCONNECTED;
import static dev.farad.client.ConnectionState.HEARTBEAT_INITIATED;
import static dev.farad.client.ConnectionState.LOGGED_ON;
import static dev.farad.client.ConnectionState.PUBLISH_REPLAYED;
import static dev.farad.client.ConnectionState.RESUBSCRIBED;
import static dev.farad.client.HATestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.testsupport.BrokerExtension;
import dev.farad.testsupport.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover between two independent brokers (issue 6 scenarios 1b and 2, short versions): the first
 * stops, or goes silent behind a blackholed link. Prints the failover and detection times.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailoverTest {
    @RegisterExtension
    final BrokerExtension primary = new BrokerExtension();

    @RegisterExtension
    final BrokerExtension secondary = new BrokerExtension();

    private final HATestSupport t = new HATestSupport();

    @AfterEach
    void close() {
        t.close();
        // Each extension checks for farad threads started since its own broker started, which
        // includes the other broker's lazily started I/O threads: stop both before either checks.
        primary.stop();
        secondary.stop();
    }

    @Test
    void shouldFailOverToTheNextServerWhenTheFirstStops() {
        HAClient c = t.ha("fails-over", primary.uri(), secondary.uri());
        c.setPublishStore(new MemoryPublishStore());
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        List<String> got = new CopyOnWriteArrayList<>();
        c.subscribe(m -> got.add(m.dataAsString()), "orders", null, WAIT);
        primary.stop();
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, PUBLISH_REPLAYED, RESUBSCRIBED, DISCONNECTED, CONNECTED,
                LOGGED_ON, PUBLISH_REPLAYED, RESUBSCRIBED);
        assertThat(c.uri()).contains(":" + secondary.port() + "/");
        Client publisher = t.client("pub", secondary.uri());
        publisher.publish("orders", "on secondary");
        await().atMost(WAIT).untilAsserted(() -> assertThat(got).containsExactly("on secondary"));
        c.publish("orders", "own");
        c.publishFlush(WAIT);
        assertThat(c.publishStore().unpersistedCount()).isZero();
    }

    /**
     * Publishes continuously while the first broker stops: every message reaches one broker or the
     * other, none twice on the same broker, and the store drains.
     */
    @Test
    void shouldPersistEveryPublishOnOneBrokerOrTheOtherAcrossFailover() throws Exception {
        int total = 2_000;
        List<String> onPrimary = new CopyOnWriteArrayList<>();
        List<String> onSecondary = new CopyOnWriteArrayList<>();
        t.client("sub-a", primary.uri()).subscribe(m -> onPrimary.add(m.dataAsString()), "orders", null, WAIT);
        t.client("sub-b", secondary.uri()).subscribe(m -> onSecondary.add(m.dataAsString()), "orders", null, WAIT);
        HAClient pub = t.ha("publisher", primary.uri(), secondary.uri());
        TimedPublishStore store = new TimedPublishStore(0, BackPressure.fail());
        pub.setPublishStore(store);
        pub.connectAndLogon();
        CountDownLatch half = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= total; i++) {
                pub.publish("orders", "m" + i);
                if (i == total / 2) {
                    // The second half goes out once the primary has stopped, so it must reach the
                    // secondary however fast the primary took the first half.
                    half.countDown();
                    try {
                        stopped.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        });
        assertThat(half.await(10, TimeUnit.SECONDS)).isTrue();
        long stoppedAt = System.nanoTime();
        primary.stop();
        stopped.countDown();
        publishing.get(20, TimeUnit.SECONDS);
        pub.publishFlush(WAIT);
        long firstAckElsewhere = store.firstDiscardAfter(stoppedAt);
        assertThat(firstAckElsewhere).isPositive();
        System.out.printf("failover (stop -> first persisted ack on the other broker): %.1f ms%n",
                (firstAckElsewhere - stoppedAt) / 1e6);
        await().atMost(WAIT).untilAsserted(() -> {
            Set<String> all = new HashSet<>(onPrimary);
            all.addAll(onSecondary);
            assertThat(all).hasSize(total);
        });
        assertThat(onPrimary).doesNotHaveDuplicates();
        assertThat(onSecondary).doesNotHaveDuplicates();
        assertThat(onSecondary).isNotEmpty();
    }

    /** A silent server (blackholed link): the heartbeat detects it in bounded time and the client fails over. */
    @Test
    void shouldDetectASilentServerByHeartbeatAndFailOver() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", primary.port())) {
            HAClient c = t.ha("silent", proxy.uri(), secondary.uri());
            c.setLogonTimeout(Duration.ofMillis(500));
            Duration readTimeout = Duration.ofMillis(1500);
            c.setHeartbeat(Duration.ofMillis(500), readTimeout);
            List<Long> disconnectedAt = new CopyOnWriteArrayList<>();
            c.addConnectionStateListener(e -> {
                if (e.state() == DISCONNECTED && disconnectedAt.isEmpty()) {
                    disconnectedAt.add(System.nanoTime());
                }
            });
            RecordingConnectionListener states = new RecordingConnectionListener();
            c.addConnectionStateListener(states);
            c.connectAndLogon();
            long blackholedAt = System.nanoTime();
            proxy.blackhole();
            // Before the blackhole: one clean logon. After it: DISCONNECTED, then attempts (the silent
            // proxy, and on a busy machine a logon that times out) until the secondary completes
            // recovery. Only the ends of the sequence are fixed.
            await().atMost(WAIT).untilAsserted(() -> {
                List<ConnectionState> seen = states.states();
                assertThat(seen).startsWith(CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, RESUBSCRIBED, DISCONNECTED)
                        .endsWith(CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, RESUBSCRIBED);
                assertThat(seen.subList(5, seen.size())).containsSubsequence(CONNECTED, DISCONNECTED);
            });
            double detectedMs = (disconnectedAt.get(0) - blackholedAt) / 1e6;
            System.out.printf("heartbeat detection: %.0f ms after blackhole (interval 500 ms, read timeout %d ms)%n",
                    detectedMs, readTimeout.toMillis());
            // Bounded by the read timeout (plus one check period and scheduling slack on a busy machine).
            assertThat(detectedMs).isBetween(readTimeout.toMillis() - 600.0, readTimeout.toMillis() + 2500.0);
            assertThat(c.uri()).contains(":" + secondary.port() + "/");
        }
    }

    /** Repeated failovers back and forth, for the p50/p99/max figure; short here, long under the soak tag. */
    @Test
    void shouldMeasureFailoverTime() {
        printFailoverTimes(5);
    }

    void printFailoverTimes(int rounds) {
        List<Double> millis = new ArrayList<>();
        try (FaultProxy a = FaultProxy.start("127.0.0.1", primary.port());
                FaultProxy b = FaultProxy.start("127.0.0.1", secondary.port())) {
            HAClient pub = t.ha("measured", a.uri(), b.uri());
            TimedPublishStore store = new TimedPublishStore(0, BackPressure.fail());
            pub.setPublishStore(store);
            List<Long> loggedOn = new CopyOnWriteArrayList<>();
            pub.addConnectionStateListener(e -> {
                if (e.state() == LOGGED_ON) {
                    loggedOn.add(System.nanoTime());
                }
            });
            pub.connectAndLogon();
            FaultProxy current = a;
            FaultProxy other = b;
            for (int i = 0; i < rounds; i++) {
                pub.publish("orders", "before " + i);
                pub.publishFlush(WAIT);
                long cutAt = System.nanoTime();
                current.refuse();
                current.cut();
                pub.publish("orders", "after " + i);
                pub.publishFlush(WAIT);
                long onOther = loggedOn.stream().filter(at -> at > cutAt).findFirst().orElseThrow();
                millis.add((store.firstDiscardAfter(onOther) - cutAt) / 1e6);
                current.restore();
                FaultProxy swap = current;
                current = other;
                other = swap;
            }
        }
        millis.sort(null);
        System.out.printf("failover over %d rounds: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", rounds,
                millis.get((int) Math.floor(0.5 * (rounds - 1))), millis.get((int) Math.floor(0.99 * (rounds - 1))),
                millis.get(rounds - 1));
        assertThat(millis).allSatisfy(ms -> assertThat(ms).isLessThan(5_000.0));
    }
}
