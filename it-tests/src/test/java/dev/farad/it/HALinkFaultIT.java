package dev.farad.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.client.BookmarkStore;
import dev.farad.client.Client;
import dev.farad.client.ConnectionState;
import dev.farad.client.DefaultServerChooser;
import dev.farad.client.FailedWrite;
import dev.farad.client.HAClient;
import dev.farad.client.MemoryPublishStore;
import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.TxLogConfig;
import dev.farad.testsupport.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken links between an HA publisher and a logging broker (issue 6 scenario 3): connections cut
 * while publishes are in flight (applied by the broker, ack not yet received), and a half-open
 * link found by the heartbeat. The replay is de-duplicated by the broker: a bookmark subscriber
 * reading the log sees every message once, in order, and no failed write is reported.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HALinkFaultIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static List<String> expected(int total) {
        return IntStream.rangeClosed(1, total).mapToObj(i -> "m" + i).toList();
    }

    @Test
    void shouldDeliverOnceWhenTheLinkIsCutRightAfterPublishes() {
        int total = 3_000;
        run(total, (proxy, i, pub) -> {
            if (i % 700 == 0) {
                proxy.cut();
            }
        }, pub -> { });
    }

    @Test
    void shouldDeliverOnceWhenAHalfOpenLinkIsFoundByTheHeartbeat() {
        int total = 2_000;
        run(total, (proxy, i, pub) -> {
            if (i == total / 2) {
                proxy.blackhole();
            }
        }, pub -> pub.setHeartbeat(Duration.ofMillis(500), Duration.ofMillis(1000)));
    }

    interface Fault {
        void after(FaultProxy proxy, int published, HAClient pub);
    }

    interface Setup {
        void apply(HAClient pub);
    }

    private void run(int total, Fault fault, Setup setup) {
        try (Broker broker = Broker.start(BrokerConfig.builder().bindAddress("127.0.0.1").port(0)
                .txLog(TxLogConfig.of(dir, "orders")).build());
                FaultProxy proxy = FaultProxy.start("127.0.0.1", broker.port());
                HAClient pub = new HAClient("link-pub");
                Client reader = new Client("link-reader")) {
            pub.setServerChooser(new DefaultServerChooser(proxy.uri()));
            pub.setReconnectDelay(Duration.ofMillis(20));
            pub.setLogonTimeout(Duration.ofSeconds(1));
            pub.setPublishStore(new MemoryPublishStore());
            List<FailedWrite> failed = new CopyOnWriteArrayList<>();
            pub.setFailedWriteHandler(failed::add);
            AtomicInteger reconnects = new AtomicInteger();
            pub.addConnectionStateListener(e -> {
                if (e.state() == ConnectionState.DISCONNECTED) {
                    reconnects.incrementAndGet();
                    // The link comes back for the next attempt (a cut or a blackhole is one-off).
                    proxy.restore();
                }
            });
            setup.apply(pub);
            pub.connectAndLogon();
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            reader.connect(broker.uri());
            reader.logon();
            reader.bookmarkSubscribe(m -> got.add(m.dataAsString()), "orders", BookmarkStore.EPOCH, null, WAIT);
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= total; i++) {
                    pub.publish("orders", "m" + i);
                    fault.after(proxy, i, pub);
                }
            });
            publishing.join();
            pub.publishFlush(WAIT);
            await().atMost(WAIT).until(() -> got.size() >= total);
            List<String> snapshot;
            synchronized (got) {
                snapshot = new ArrayList<>(got);
            }
            assertThat(snapshot).containsExactlyElementsOf(expected(total));
            assertThat(failed).isEmpty();
            assertThat(reconnects.get()).isPositive();
            System.out.printf("HALinkFaultIT: %d publishes, %d link failure(s), every message once in order,"
                    + " no failed write%n", total, reconnects.get());
        }
    }
}
