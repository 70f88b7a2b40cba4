package dev.farad.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.Client;
import dev.farad.client.Message;
import dev.farad.client.exceptions.CommandException;
import dev.farad.testsupport.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client's side of the transaction log: publishFlush waits for persistence, bookmarkSubscribe replays. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientTxLogIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension().withTxLog("trades");

    @Test
    void shouldPersistThenReplayFromBookmarks() {
        try (Client pub = new Client("client-pub"); Client sub = new Client("client-sub")) {
            pub.connect(broker.uri());
            pub.logon();
            for (int i = 1; i <= 100; i++) {
                pub.publish("trades", "{\"n\":" + i + "}");
            }
            pub.publishFlush(WAIT);

            sub.connect(broker.uri());
            sub.logon();
            List<Message> all = new CopyOnWriteArrayList<>();
            sub.bookmarkSubscribe(all::add, "trades", "0", "/n > 50", WAIT);
            await().atMost(WAIT).until(() -> all.size() == 50);
            assertThat(all.get(0).dataAsString()).isEqualTo("{\"n\":51}");
            assertThat(all).allSatisfy(m -> assertThat(m.bookmark()).endsWith("|"));

            List<Message> resumed = new CopyOnWriteArrayList<>();
            sub.bookmarkSubscribe(resumed::add, "trades", all.get(48).bookmark(), null, WAIT);
            pub.publish("trades", "{\"n\":101}");
            await().atMost(WAIT).until(() -> resumed.size() == 2);
            assertThat(resumed).extracting(Message::dataAsString).containsExactly("{\"n\":100}", "{\"n\":101}");

            assertThatThrownBy(() -> sub.bookmarkSubscribe(m -> { }, "trades", "not a bookmark", null, WAIT))
                    .isInstanceOf(CommandException.class).hasMessageContaining("invalid bookmark");
            assertThatThrownBy(() -> sub.bookmarkSubscribe(m -> { }, "unlogged", "0", null, WAIT))
                    .isInstanceOf(CommandException.class).hasMessageContaining("invalid topic");
        }
    }

    @Test
    void shouldResumeReplayAfterRestart() {
        try (Client pub = new Client("restart-pub")) {
            pub.connect(broker.uri());
            pub.logon();
            for (int i = 1; i <= 10; i++) {
                pub.publish("trades", "{\"n\":" + i + "}");
            }
            pub.publishFlush(WAIT);
        }
        broker.restart();
        try (Client sub = new Client("restart-sub")) {
            sub.connect(broker.uri());
            sub.logon();
            List<Message> all = new CopyOnWriteArrayList<>();
            sub.bookmarkSubscribe(all::add, "trades", "0", null, WAIT);
            await().atMost(WAIT).until(() -> all.size() == 10);
            assertThat(all.get(9).dataAsString()).isEqualTo("{\"n\":10}");
        }
    }
}
