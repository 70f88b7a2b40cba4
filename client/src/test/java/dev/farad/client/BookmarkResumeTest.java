package dev.farad.client;

import static dev.farad.client.HATestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.TxLogConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bookmark subscriptions on an HA client: duplicates filtered, resume after a broker restart. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BookmarkResumeTest {
    @TempDir
    Path dir;

    private final HATestSupport t = new HATestSupport();
    private Broker broker;

    @AfterEach
    void close() {
        t.close();
        if (broker != null) {
            broker.close();
        }
    }

    private Broker start(int port) {
        broker = Broker.start(BrokerConfig.builder().bindAddress("127.0.0.1").port(port)
                .txLog(TxLogConfig.of(dir, "orders")).build());
        return broker;
    }

    private static List<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }

    @Test
    void shouldSendAlreadyProcessedMessagesToTheDuplicateHandlerAndResumeAfterRestart() {
        int port = start(0).port();
        String uri = "tcp://127.0.0.1:" + port + "/amps/json";
        HAClient sub = t.configure(HAClient.memoryBacked("bm-sub"), uri);
        List<String> handled = new CopyOnWriteArrayList<>();
        List<String> duplicates = new CopyOnWriteArrayList<>();
        sub.setDuplicateMessageHandler(m -> duplicates.add(m.dataAsString()));
        sub.connectAndLogon();
        MessageHandler handler = m -> handled.add(m.dataAsString());
        sub.executeAsync(new Command("subscribe").topic("orders").subId("orders-sub")
                .bookmark(BookmarkStore.MOST_RECENT).timeout(WAIT), handler);

        HAClient pub = t.configure(HAClient.memoryBacked("bm-pub"), uri);
        pub.connectAndLogon();
        for (int i = 1; i <= 10; i++) {
            pub.publish("orders", "m" + i);
        }
        pub.publishFlush(WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsExactlyElementsOf(range(1, 10)));

        // The same subscription again from EPOCH: the broker replays all ten, all already processed.
        sub.executeAsync(new Command("subscribe").topic("orders").subId("orders-sub").options("replace")
                .bookmark(BookmarkStore.EPOCH).timeout(WAIT), handler);
        await().atMost(WAIT).untilAsserted(() -> assertThat(duplicates).containsExactlyElementsOf(range(1, 10)));
        assertThat(handled).hasSize(10);

        broker.close();
        start(port);
        for (int i = 11; i <= 15; i++) {
            pub.publish("orders", "m" + i);
        }
        pub.publishFlush(WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsExactlyElementsOf(range(1, 15)));
        assertThat(duplicates).hasSize(10);
        assertThat(sub.bookmarkStore().mostRecent("orders-sub")).endsWith("|");
    }
}
