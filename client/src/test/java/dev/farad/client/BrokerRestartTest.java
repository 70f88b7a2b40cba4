package dev.farad.client;

import static dev.farad.client.ConnectionState.CONNECTED;
import static dev.farad.client.ConnectionState.DISCONNECTED;
import static dev.farad.client.ConnectionState.LOGGED_ON;
import static dev.farad.client.ConnectionState.PUBLISH_REPLAYED;
import static dev.farad.client.ConnectionState.RESUBSCRIBED;
import static dev.farad.client.HATestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.PublishFlushTimedOutException;
import dev.farad.client.exceptions.PublishStoreFullException;
import dev.farad.testsupport.BrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker (or every broker) going away and coming back while an HA client publishes (issue 6
 * scenarios 1, 4 and 5, short versions), and publishFlush across it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerRestartTest {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private final HATestSupport t = new HATestSupport();

    @AfterEach
    void close() {
        t.close();
    }

    private static List<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }

    @Test
    void shouldGetEveryPublishPersistedWhenTheBrokerRestartsMidStream() throws Exception {
        int total = 2_000;
        HAClient pub = t.ha("restart-publisher", broker.uri());
        pub.setPublishStore(new MemoryPublishStore());
        pub.connectAndLogon();
        CountDownLatch half = new CountDownLatch(1);
        CompletableFuture<List<Long>> publishing = CompletableFuture.supplyAsync(() -> {
            List<Long> seqs = new ArrayList<>();
            for (int i = 1; i <= total; i++) {
                seqs.add(pub.publish("orders", "m" + i));
                if (i == total / 2) {
                    half.countDown();
                }
            }
            return seqs;
        });
        assertThat(half.await(10, TimeUnit.SECONDS)).isTrue();
        broker.restart();
        List<Long> seqs = publishing.get(20, TimeUnit.SECONDS);
        assertThat(seqs).isSorted().doesNotHaveDuplicates().hasSize(total);
        pub.publishFlush(WAIT);
        assertThat(pub.publishStore().unpersistedCount()).isZero();
    }

    @Test
    void shouldWaitForPersistenceAcrossAReconnectAndTellWhatIsMissingOnTimeout() {
        HAClient pub = t.ha("flusher", broker.uri());
        pub.setPublishStore(new MemoryPublishStore());
        RecordingConnectionListener states = new RecordingConnectionListener();
        pub.addConnectionStateListener(states);
        pub.connectAndLogon();
        long first = pub.publish("orders", "a");
        pub.publishFlush(WAIT);
        broker.stop();
        states.awaitStates(CONNECTED, LOGGED_ON, PUBLISH_REPLAYED, RESUBSCRIBED, DISCONNECTED);
        long s2 = pub.publish("orders", "b");
        pub.publish("orders", "c");
        long s4 = pub.publish("orders", "d");
        assertThat(s2).isEqualTo(first + 1);
        assertThatThrownBy(() -> pub.publishFlush(Duration.ofMillis(100)))
                .isInstanceOfSatisfying(PublishFlushTimedOutException.class, e -> {
                    assertThat(e.unpersistedCount()).isEqualTo(3);
                    assertThat(e.firstUnpersisted()).isEqualTo(s2);
                    assertThat(e.lastUnpersisted()).isEqualTo(s4);
                })
                .hasMessageContaining("3 write(s)").hasMessageContaining(s2 + ".." + s4);
        broker.start();
        pub.publishFlush(WAIT);
        assertThat(pub.publishStore().unpersistedCount()).isZero();
    }

    @Test
    void shouldReplayStoredSowDeletes() {
        HAClient pub = t.ha("deleter", broker.uri());
        ListPublishStore plain = new ListPublishStore();
        pub.setPublishStore(plain);
        pub.connectAndLogon();
        broker.stop();
        await().atMost(WAIT).until(() -> !pub.isConnected());
        pub.sowDelete("orders", "/id = 1");
        assertThat(plain.unpersistedCount()).isEqualTo(1);
        assertThat(plain.get(1).command()).isEqualTo("sow_delete");
        broker.start();
        await().atMost(WAIT).untilAsserted(() -> assertThat(plain.unpersistedCount()).isZero());
    }

    /** Every server down for a while: publishes are kept within the store's bound, reconnects back off with jitter. */
    @Test
    void shouldKeepPublishesWithinTheBoundAndBackOffWithJitterWhileEveryServerIsDown() {
        int clients = 4;
        List<List<Duration>> delays = new ArrayList<>();
        List<HAClient> pubs = new ArrayList<>();
        List<RecordingConnectionListener> listeners = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            HAClient c = t.ha("herd-" + i, broker.uri());
            c.setPublishStore(new MemoryPublishStore(50, BackPressure.fail()));
            List<Duration> mine = new CopyOnWriteArrayList<>();
            ExponentialDelayStrategy inner = ExponentialDelayStrategy.builder().initialDelay(Duration.ofMillis(20))
                    .maxDelay(Duration.ofMillis(200)).jitter(Duration.ofMillis(20)).build();
            c.setReconnectDelayStrategy(new ReconnectDelayStrategy() {
                @Override
                public Duration delayBefore(String uri) {
                    Duration d = inner.delayBefore(uri);
                    mine.add(d);
                    return d;
                }

                @Override
                public void reset() {
                    inner.reset();
                }
            });
            RecordingConnectionListener states = new RecordingConnectionListener();
            c.addConnectionStateListener(states);
            c.connectAndLogon();
            delays.add(mine);
            pubs.add(c);
            listeners.add(states);
        }
        broker.stop();
        for (RecordingConnectionListener states : listeners) {
            states.awaitStates(CONNECTED, LOGGED_ON, PUBLISH_REPLAYED, RESUBSCRIBED, DISCONNECTED);
        }
        for (HAClient c : pubs) {
            for (int i = 1; i <= 50; i++) {
                c.publish("orders", "m" + i);
            }
            assertThatThrownBy(() -> c.publish("orders", "one too many"))
                    .isInstanceOf(PublishStoreFullException.class).hasMessageContaining("is full (50");
            assertThat(c.publishStore().unpersistedCount()).isEqualTo(50);
        }
        await().atMost(WAIT).until(() -> delays.stream().allMatch(d -> d.size() >= 5));
        broker.start();
        Client sub = t.client("watcher", broker.uri());
        List<String> got = new CopyOnWriteArrayList<>();
        sub.subscribe(m -> got.add(m.dataAsString()), "orders", null, WAIT);
        for (HAClient c : pubs) {
            c.publishFlush(WAIT);
        }
        // Immediate first try, then growing waits with jitter, so the clients do not retry in step.
        List<Duration> secondWaits = new ArrayList<>();
        for (List<Duration> d : delays) {
            assertThat(d.get(0)).isEqualTo(Duration.ZERO).as("first try after the loss");
            assertThat(d.get(2)).isGreaterThan(d.get(1).minus(Duration.ofMillis(20)));
            secondWaits.add(d.get(2));
        }
        assertThat(secondWaits.stream().distinct().count()).as("jitter spreads the clients").isGreaterThan(1);
        assertThat(got).hasSizeLessThanOrEqualTo(clients * 50);
    }

    /** The publishing process dies and restarts with the same file store: it replays what was never persisted. */
    @Test
    void shouldReplayWhatWasNeverPersistedAfterThePublisherRestarts() {
        Path pubPath = dir.resolve("publisher.pub");
        Path bmPath = dir.resolve("publisher.bmk");
        HAClient first = t.configure(HAClient.fileBacked("restarting", pubPath, bmPath), broker.uri());
        first.connectAndLogon();
        for (int i = 1; i <= 5; i++) {
            first.publish("orders", "m" + i);
        }
        first.publishFlush(WAIT);
        broker.stop();
        await().atMost(WAIT).until(() -> !first.isConnected());
        for (int i = 6; i <= 10; i++) {
            first.publish("orders", "m" + i);
        }
        // The process "dies": no flush, the store is simply let go.
        first.close();
        broker.start();
        Client sub = t.client("watcher", broker.uri());
        List<String> got = new CopyOnWriteArrayList<>();
        sub.subscribe(m -> got.add(m.dataAsString()), "orders", null, WAIT);
        HAClient second = t.configure(HAClient.fileBacked("restarting", pubPath, bmPath), broker.uri());
        assertThat(second.publishStore().unpersistedCount()).isEqualTo(5);
        second.connectAndLogon();
        second.publishFlush(WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(got).containsExactlyElementsOf(range(6, 10)));
        assertThat(second.publish("orders", "m11")).isEqualTo(11);
    }
}
