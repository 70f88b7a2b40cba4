package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.client.exceptions.BadFilterException;
import dev.farad.client.exceptions.InvalidOrderByException;
import dev.farad.client.exceptions.InvalidTopicException;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Reason;
import dev.farad.server.SowTopicConfig;
import dev.farad.testsupport.BrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SowClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static BrokerExtension broker = new BrokerExtension(b -> b.sowTopic(SowTopicConfig.keyed("orders", "/id"))
            .sowTopic(SowTopicConfig.keyed("books", "/id")).sowTopic(SowTopicConfig.keyed("gone", "/id"))
            .sowTopic(SowTopicConfig.keyed("purged", "/id")).sowTopic(SowTopicConfig.keyed("handled", "/id"))
            .sowTopic(SowTopicConfig.keyed("streamed", "/id")));

    private static Client connect(String name) {
        Client c = new Client(name);
        c.connect(broker.uri());
        c.logon();
        return c;
    }

    private static List<Message> records(MessageStream stream) {
        List<Message> out = new ArrayList<>();
        for (Message m : stream) {
            if (m.command().equals("sow")) {
                out.add(m);
            }
            if (m.command().equals("group_end")) {
                break;
            }
        }
        return out;
    }

    /** Records each message as "command:data", and opens {@code latch} when a {@code until} message arrives. */
    private static MessageHandler recording(List<String> seen, String until, CountDownLatch latch) {
        return m -> {
            seen.add(m.command() + ":" + m.dataAsString());
            if (m.command().equals(until)) {
                latch.countDown();
            }
        };
    }

    @Test
    void shouldReturnRecordsOfSowQueryAsStreamWithKeys() {
        try (Client c = connect("sow-stream")) {
            for (int i = 0; i < 25; i++) {
                c.publish("orders", "{\"id\":" + i + ",\"qty\":" + (i * 10) + "}");
            }
            c.publish("orders", "{\"id\":3,\"qty\":999}");
            c.flush(WAIT);
            try (MessageStream s = c.sow("orders", "/qty >= 200")) {
                List<Message> recs = records(s);
                assertThat(recs).extracting(Message::dataAsString).contains("{\"id\":3,\"qty\":999}")
                        .contains("{\"id\":24,\"qty\":240}").hasSize(6);
                assertThat(recs).allSatisfy(m -> assertThat(m.sowKey()).isNotBlank());
                assertThat(recs).allSatisfy(m -> assertThat(m.topic()).isEqualTo("orders"));
            }
        }
    }

    @Test
    void shouldOrderAndLimitThroughCommand() {
        try (Client c = connect("sow-order")) {
            for (int i = 0; i < 10; i++) {
                c.publish("books", "{\"id\":" + i + ",\"px\":" + i + "}");
            }
            c.flush(WAIT);
            try (MessageStream s = c.execute(new Command("sow").topic("books").orderBy("/px DESC").topN(2)
                    .batchSize(1))) {
                assertThat(records(s)).extracting(Message::dataAsString)
                        .containsExactly("{\"id\":9,\"px\":9}", "{\"id\":8,\"px\":8}");
            }
        }
    }

    @Test
    void shouldDeliverResultThenLiveToSowAndSubscribeHandler() throws Exception {
        try (Client c = connect("sas")) {
            c.publish("orders", "{\"id\":100,\"qty\":1}");
            c.flush(WAIT);
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch live = new CountDownLatch(1);
            c.sowAndSubscribe(recording(seen, "publish", live), "orders", "/id >= 100", WAIT);
            c.publish("orders", "{\"id\":101,\"qty\":2}");
            assertThat(live.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).containsSubsequence("group_begin:", "sow:{\"id\":100,\"qty\":1}", "group_end:",
                    "publish:{\"id\":101,\"qty\":2}");
        }
    }

    @Test
    void shouldDeleteByKeysAndData() {
        try (Client c = connect("sow-del")) {
            c.publish("gone", "{\"id\":1}");
            c.publish("gone", "{\"id\":2}");
            c.publish("gone", "{\"id\":3}");
            c.flush(WAIT);
            String key;
            try (MessageStream s = c.sow("gone", "/id = 1")) {
                key = records(s).get(0).sowKey();
            }
            c.sowDeleteByKeys("gone", key);
            c.sowDeleteByData("gone", "{\"id\":2}".getBytes());
            c.sowDelete("gone", "/id = 99");
            c.flush(WAIT);
            try (MessageStream s = c.sow("gone", null)) {
                assertThat(records(s)).extracting(Message::dataAsString).containsExactly("{\"id\":3}");
            }
        }
    }

    @Test
    void shouldRaiseTypedExceptionsForBadQueries() {
        try (Client c = connect("sow-errors")) {
            assertThatThrownBy(() -> c.sow("plain-topic", null)).isInstanceOf(InvalidTopicException.class)
                    .hasMessageContaining("plain-topic");
            String badFilter = Reason.BAD_FILTER + ": at position 6: expected an operand (field path, literal,"
                    + " function call or '(') but found end of input";
            assertThatThrownBy(() -> c.sow("orders", "/qty >")).isInstanceOf(BadFilterException.class)
                    .hasMessageContaining(badFilter)
                    .satisfies(e -> assertThat(((BadFilterException) e).reason()).isEqualTo(badFilter));
            assertThatThrownBy(() -> c.execute(new Command("sow").topic("orders").orderBy("qty")))
                    .isInstanceOf(InvalidOrderByException.class);
            c.publish("orders", "{\"id\":7}");
            c.flush(WAIT);
        }
    }

    /** Publishes {"id":1} to {"id":n} and waits until the broker has processed them. */
    private static void publishIds(Client c, String topic, int n) {
        for (int i = 1; i <= n; i++) {
            c.publish(topic, "{\"id\":" + i + "}");
        }
        c.flush(WAIT);
    }

    private static List<String> data(MessageStream stream) {
        return records(stream).stream().map(Message::dataAsString).toList();
    }

    @Test
    void shouldDeleteExistingRecordsByFilterAndCountThem() throws Exception {
        try (Client c = connect("sow-purge")) {
            publishIds(c, "purged", 5);
            c.sowDelete("purged", "/id >= 4");
            // sowDelete returns once sent; the flush is acked only after the broker processed it.
            c.flush(WAIT);
            try (MessageStream s = c.sow("purged", null)) {
                assertThat(data(s)).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":3}");
            }
            // sowDelete(topic, filter) returns no count, so the count comes from the command's stats ack.
            List<Message> stats = new CopyOnWriteArrayList<>();
            CountDownLatch counted = new CountDownLatch(1);
            Command delete = new Command("sow_delete").topic("purged").filter("/id >= 2").addAckType(AckType.STATS);
            c.executeAsync(delete, m -> {
                if (m.ackType() == AckType.STATS) {
                    stats.add(m);
                    counted.countDown();
                }
            });
            assertThat(counted.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stats.get(0).stats().recordsDeleted()).isEqualTo(2);
            try (MessageStream s = c.sow("purged", null)) {
                assertThat(data(s)).containsExactly("{\"id\":1}");
            }
        }
    }

    @Test
    void shouldDeliverGroupBeginRecordsAndGroupEndToSowHandler() throws Exception {
        try (Client c = connect("sow-handler")) {
            publishIds(c, "handled", 3);
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch ended = new CountDownLatch(1);
            c.sow(recording(seen, "group_end", ended), "handled", "/id >= 2", WAIT);
            assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).containsExactly("group_begin:", "sow:{\"id\":2}", "sow:{\"id\":3}", "group_end:");
        }
    }

    @Test
    void shouldStreamResultThenLiveFromSowAndSubscribe() {
        try (Client c = connect("sas-stream")) {
            publishIds(c, "streamed", 3);
            try (MessageStream s = c.sowAndSubscribe("streamed", "/id >= 2")) {
                assertThat(data(s)).containsExactly("{\"id\":2}", "{\"id\":3}");
                c.publish("streamed", "{\"id\":0}");
                c.publish("streamed", "{\"id\":4}");
                Message live = s.poll(WAIT);
                assertThat(live).isNotNull();
                assertThat(live.command()).isEqualTo("publish");
                assertThat(live.dataAsString()).as("the filter applies to live messages").isEqualTo("{\"id\":4}");
            }
        }
    }
}
