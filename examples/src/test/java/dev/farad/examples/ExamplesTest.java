package dev.farad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.client.Client;
import dev.farad.client.Message;
import dev.farad.client.MessageStream;
import dev.farad.testsupport.BrokerExtension;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The error-handling examples run against the real broker. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExamplesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @RegisterExtension
    final BrokerExtension backup = new BrokerExtension();

    private static PrintStream printStream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @Test
    void shouldPublishWhatTheUserTypedInExample51() throws Exception {
        try (Client c = new Client("ex51"); Client watcher = new Client("watcher")) {
            watcher.connect(broker.uri());
            watcher.logon();
            try (MessageStream s = watcher.subscribe("UserMessage")) {
                c.connect(broker.uri());
                c.logon();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                boolean sent = CatchingAnException.readAndEvaluate(c,
                        new BufferedReader(new StringReader("hello\n")), printStream(err));
                assertThat(sent).isTrue();
                assertThat(s.poll(WAIT).dataAsString()).contains("hello");
            }
        }
    }

    @Test
    void shouldAskAgainAfterBadRegexInExample52() throws Exception {
        try (Client c = new Client("ex52")) {
            c.connect(broker.uri());
            c.logon();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MessageStream s = HandlingExceptionSubclasses.createNewSubscription(c,
                    new BufferedReader(new StringReader("bad[regex\ngood\n")), printStream(out))) {
                assertThat(s).isNotNull();
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("bad topic name or regular expression bad[regex");
        }
    }

    @Test
    void shouldReconnectToSameBrokerInExample53() throws Exception {
        CountDownLatch handlerWaiting = new CountDownLatch(1);
        CountDownLatch brokerBack = new CountDownLatch(1);
        try (SupplyingADisconnectHandler app = new SupplyingADisconnectHandler(broker.uri(), () -> {
            handlerWaiting.countDown();
            brokerBack.await();
        })) {
            broker.stop();
            assertThat(handlerWaiting.await(5, TimeUnit.SECONDS)).isTrue();
            broker.start();
            brokerBack.countDown();
            await().atMost(WAIT).until(app.client::isLoggedOn);
        }
    }

    @Test
    void shouldFailOverToBackupInExample54() {
        List<Message> got = new CopyOnWriteArrayList<>();
        try (SimpleClientFailover app = new SimpleClientFailover(got::add, broker.uri(), backup.uri())) {
            broker.stop();
            await().atMost(WAIT).until(() -> backup.uri().equals(app.client.uri()) && app.client.isLoggedOn());
            try (Client pub = new Client("ex54-pub")) {
                pub.connect(backup.uri());
                pub.logon();
                await().atMost(WAIT).untilAsserted(() -> {
                    pub.publish("orders", "after failover");
                    pub.flush(WAIT);
                    assertThat(got).extracting(Message::dataAsString).contains("after failover");
                });
                assertThat(app.failures()).isNotEmpty();
            }
        }
    }

    @Test
    void shouldGiveExceptionListenerTheHandlersStackTraceInExample57() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StackTraceExample.run(broker.uri(), StackTraceExample.printingTo(printStream(out)));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("EXCEPTION RECEIVED java.lang.IllegalStateException: in my handler")
                .contains("at dev.farad.examples.StackTraceExample.handler");
    }
}
