package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.AlreadyConnectedException;
import dev.farad.client.exceptions.BadRegexTopicException;
import dev.farad.client.exceptions.ConnectionRefusedException;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.DuplicateLogonException;
import dev.farad.client.exceptions.FaradException;
import dev.farad.client.exceptions.InvalidURIException;
import dev.farad.client.exceptions.LogonRequiredException;
import dev.farad.client.exceptions.SubscriptionAlreadyExistsException;
import dev.farad.client.exceptions.TransportTypeException;
import dev.farad.client.exceptions.UsageException;
import dev.farad.protocol.AckType;
import dev.farad.testsupport.BrokerExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The basic life of a {@link Client} against a broker. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final List<Client> clients = new CopyOnWriteArrayList<>();

    private Client client(String name) {
        Client c = new Client(name);
        clients.add(c);
        return c;
    }

    private Client loggedOn(String name) {
        Client c = client(name);
        c.connect(broker.uri());
        c.logon(WAIT);
        return c;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(Client::close);
    }

    @Test
    void shouldConnectLogOnAndReportConnectedThenLoggedOn() {
        Client c = client("states");
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connect(broker.uri());
        c.logon(WAIT);
        assertThat(c.isLoggedOn()).isTrue();
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON);
    }

    @Test
    void shouldReportDisconnectedThenShutdownOnClose() {
        Client c = loggedOn("closer");
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.close();
        states.awaitStates(ConnectionState.DISCONNECTED, ConnectionState.SHUTDOWN);
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void shouldCloseIdempotently() {
        Client c = loggedOn("twice");
        c.close();
        c.close();
        assertThatThrownBy(() -> c.publish("t", "x")).isInstanceOf(DisconnectedException.class);
    }

    @Test
    void shouldDeliverPublishToAsyncSubscriptionHandler() {
        Client sub = loggedOn("sub");
        List<Message> got = new CopyOnWriteArrayList<>();
        CommandId id = sub.subscribe(got::add, "orders", null, WAIT);
        Client pub = loggedOn("pub");
        assertThat(pub.publish("orders", "{\"n\":1}")).isZero();
        await().atMost(WAIT).until(() -> got.size() == 1);
        Message m = got.get(0);
        assertThat(m.command()).isEqualTo("publish");
        assertThat(m.topic()).isEqualTo("orders");
        assertThat(m.subId()).isEqualTo(id.value());
        assertThat(m.dataAsString()).isEqualTo("{\"n\":1}");
    }

    @Test
    void shouldDeliverPublishToMessageStream() {
        Client c = loggedOn("streamer");
        try (MessageStream stream = c.subscribe("prices")) {
            c.publish("prices", "a");
            c.publish("prices", "b");
            List<String> seen = new java.util.ArrayList<>();
            for (Message m : stream) {
                seen.add(m.dataAsString());
                if (seen.size() == 2) {
                    break;
                }
            }
            assertThat(seen).containsExactly("a", "b");
        }
    }

    @Test
    void shouldFanOutOneDeliveryMatchingSeveralSubscriptionsToEachHandler() {
        Client c = loggedOn("fan");
        List<Message> first = new CopyOnWriteArrayList<>();
        List<Message> second = new CopyOnWriteArrayList<>();
        CommandId a = c.subscribe(first::add, "fan-topic", null, WAIT);
        CommandId b = c.subscribe(second::add, "^fan-.*", null, WAIT);
        c.publish("fan-topic", "x");
        await().atMost(WAIT).until(() -> first.size() == 1 && second.size() == 1);
        assertThat(first.get(0).subId()).isEqualTo(a.value());
        assertThat(second.get(0).subId()).isEqualTo(b.value());
    }

    @Test
    void shouldUnsubscribeWhenStreamClosedSoLaterPublishesAreNotDelivered() {
        Client c = loggedOn("stream-close");
        List<Message> lastChance = new CopyOnWriteArrayList<>();
        c.setLastChanceMessageHandler(lastChance::add);
        MessageStream stream = c.subscribe("s-topic");
        stream.close();
        stream.close();
        assertThat(stream.poll(Duration.ofMillis(10))).isNull();
        assertThat(stream.isDone()).isTrue();
        c.publish("s-topic", "after close");
        try (MessageStream probe = c.subscribe("probe")) {
            c.publish("probe", "p");
            assertThat(probe.poll(WAIT)).isNotNull();
        }
        assertThat(lastChance).isEmpty();
    }

    @Test
    void shouldUnsubscribeCommaListAndAll() {
        Client c = loggedOn("unsub-list");
        MessageStream a = c.subscribe("ua");
        MessageStream b = c.subscribe("ub");
        MessageStream d = c.subscribe("ud");
        c.unsubscribe(a.commandId().value() + "," + b.commandId().value());
        await().atMost(WAIT).until(() -> a.isDone() && b.isDone());
        assertThat(d.isDone()).isFalse();
        c.unsubscribe("all");
        await().atMost(WAIT).until(d::isDone);
        List<Message> lastChance = new CopyOnWriteArrayList<>();
        c.setLastChanceMessageHandler(lastChance::add);
        c.publish("ua", "1");
        c.publish("ud", "2");
        c.flush(WAIT);
        try (MessageStream probe = c.subscribe("probe-list")) {
            c.publish("probe-list", "p");
            assertThat(probe.poll(WAIT)).isNotNull();
        }
        assertThat(lastChance).isEmpty();
    }

    @Test
    void shouldFlushAfterEarlierPublishesWereProcessed() {
        Client c = loggedOn("flusher");
        try (MessageStream s = c.subscribe("f")) {
            c.publish("f", "1");
            c.flush(WAIT);
            assertThat(s.poll(WAIT).dataAsString()).isEqualTo("1");
        }
    }

    @Test
    void shouldThrowAlreadyConnectedOnSecondConnect() {
        Client c = loggedOn("again");
        assertThatThrownBy(() -> c.connect(broker.uri())).isInstanceOf(AlreadyConnectedException.class)
                .hasMessageContaining("again");
        assertThat(c.isLoggedOn()).isTrue();
    }

    @Test
    void shouldThrowInvalidUriForMalformedUri() {
        Client c = client("bad-uri");
        assertThatThrownBy(() -> c.connect("tcp://127.0.0.1/nope")).isInstanceOf(InvalidURIException.class);
        assertThatThrownBy(() -> c.connect("udp://127.0.0.1:1/amps/json"))
                .isInstanceOf(TransportTypeException.class);
    }

    @Test
    void shouldThrowConnectionRefusedWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Client c = client("refused");
        int p = port;
        assertThatThrownBy(() -> c.connect("tcp://127.0.0.1:" + p + "/amps/json"))
                .isInstanceOf(ConnectionRefusedException.class);
    }

    @Test
    void shouldThrowLogonRequiredForCommandBeforeLogon() {
        Client c = client("no-logon");
        c.connect(broker.uri());
        assertThatThrownBy(() -> c.executeAsync(new Command("subscribe").topic("x").timeout(WAIT), m -> { }))
                .isInstanceOf(LogonRequiredException.class)
                .hasMessageContaining("subscribe").hasMessageContaining("'x'")
                .hasMessageContaining("logon required");
    }

    @Test
    void shouldMapSubscribeFailureAndStayUsable() {
        Client c = loggedOn("usable");
        assertThatThrownBy(() -> c.subscribe(m -> { }, "bad[regex", null, WAIT))
                .isInstanceOf(BadRegexTopicException.class)
                .satisfies(e -> assertThat(((FaradException) e).reason()).startsWith("bad regex topic"))
                .hasMessageContaining("bad[regex");
        List<Message> got = new CopyOnWriteArrayList<>();
        c.subscribe(got::add, "fine", null, WAIT);
        c.publish("fine", "ok");
        await().atMost(WAIT).until(() -> got.size() == 1);
    }

    @Test
    void shouldThrowDuplicateLogonAndKeepTheConnection() {
        Client c = loggedOn("double-logon");
        assertThatThrownBy(() -> c.logon(WAIT)).isInstanceOf(DuplicateLogonException.class);
        assertThat(c.isLoggedOn()).isTrue();
        try (MessageStream s = c.subscribe("still-on")) {
            c.publish("still-on", "yes");
            assertThat(s.poll(WAIT).dataAsString()).isEqualTo("yes");
        }
    }

    @Test
    void shouldCompleteFuturesEvenAfterClose() {
        Client c = loggedOn("closed-futures");
        c.close();
        assertThat(c.subscribeAsync(m -> { }, "t", null)).failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(DisconnectedException.class);
        assertThat(c.flushAsync(WAIT)).failsWithin(WAIT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(DisconnectedException.class);
    }

    @Test
    void shouldRefuseToConnectAfterClose() {
        Client c = client("closed");
        c.close();
        assertThatThrownBy(() -> c.connect(broker.uri())).isInstanceOf(UsageException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shouldThrowSubscriptionAlreadyExistsForDuplicateSubId() {
        Client c = loggedOn("dup");
        c.executeAsync(new Command("subscribe").topic("d").subId("mine"), m -> { });
        assertThatThrownBy(() -> c.executeAsync(new Command("subscribe").topic("d").subId("mine"), m -> { }))
                .isInstanceOf(SubscriptionAlreadyExistsException.class);
        c.executeAsync(new Command("subscribe").topic("d").subId("mine").options("replace"), m -> { });
    }

    @Test
    void shouldDeliverExplicitlyRequestedAcksToTheStream() {
        Client c = loggedOn("acks");
        try (MessageStream s = c.execute(new Command("publish").topic("^bad.*").data("x")
                .addAckType(AckType.PROCESSED))) {
            Message ack = s.poll(WAIT);
            assertThat(ack.command()).isEqualTo("ack");
            assertThat(ack.isFailure()).isTrue();
            assertThat(ack.reason()).startsWith("invalid topic");
        }
    }
}
