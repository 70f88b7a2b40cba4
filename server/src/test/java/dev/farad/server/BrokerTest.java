package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(200);
    private static final int PROCESSED = AckType.PROCESSED.bit();
    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = Broker.start(TestConfigs.builder().port(0).build());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static RawConnection connect(String name) {
        RawConnection c = new RawConnection(broker.port());
        Header ack = c.logon(name);
        assertThat(ack).isNotNull();
        assertThat(ack.status()).isEqualTo("success");
        return c;
    }

    private static Header subscribe(RawConnection c, String topic, String subId) {
        String cid = c.nextCommandId();
        c.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic(topic).subId(subId).ackTypes(PROCESSED),
                (byte[]) null);
        return c.awaitAck(cid);
    }

    private static Header publishAcked(RawConnection c, String topic, String data) {
        String cid = c.nextCommandId();
        c.send(new Header().command(Command.PUBLISH).commandId(cid).topic(topic).ackTypes(PROCESSED), data);
        return c.awaitAck(cid);
    }

    @Test
    void shouldRequireLogonBeforeAnyOtherCommand() {
        try (RawConnection c = new RawConnection(broker.port())) {
            c.send(new Header().command(Command.SUBSCRIBE).commandId("1").topic("t").ackTypes(PROCESSED), (byte[]) null);
            Header ack = c.awaitAck("1");
            assertThat(ack.status()).isEqualTo("failure");
            assertThat(ack.reason()).isEqualTo(Reason.LOGON_REQUIRED);
            assertThat(c.logon("late-logon").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldAnswerLogonWithNameSequenceAndBookmark() {
        try (RawConnection c = new RawConnection(broker.port())) {
            Header ack = c.logon("logon-fields");
            assertThat(ack.ackType()).isEqualTo(AckType.PROCESSED);
            assertThat(ack.clientName()).isEqualTo("logon-fields");
            assertThat(ack.sequence()).isZero();
            assertThat(ack.bookmark()).endsWith("|0|");
            assertThat(ack.reason()).isEqualTo(Reason.AUTHENTICATION_DISABLED);
        }
    }

    @Test
    void shouldRefuseLogonWithoutClientName() {
        try (RawConnection c = new RawConnection(broker.port())) {
            c.send(new Header().command(Command.LOGON).commandId("1").ackTypes(PROCESSED), (byte[]) null);
            assertThat(c.awaitAck("1").reason()).isEqualTo(Reason.NO_CLIENT_NAME);
        }
    }

    @Test
    void shouldRefuseSecondLogonOnOneConnection() {
        try (RawConnection c = connect("twice")) {
            Header ack = c.logon("twice-again");
            assertThat(ack.reason()).isEqualTo(Reason.DUPLICATE_LOGON);
        }
    }

    @Test
    void shouldDeliverPublishesInOrderToExactSubscriber() {
        try (RawConnection sub = connect("sub-order"); RawConnection pub = connect("pub-order")) {
            assertThat(subscribe(sub, "orders", "s1").status()).isEqualTo("success");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String data = "{\"n\":" + i + "}";
                sent.add(data);
                pub.send(new Header().command(Command.PUBLISH).topic("orders"), data);
            }
            assertThat(sub.awaitDeliveries(500)).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void shouldDeliverToRegexSubscriptionOnlyMatchingTopics() {
        try (RawConnection sub = connect("sub-regex"); RawConnection pub = connect("pub-regex")) {
            assertThat(subscribe(sub, "^orders\\..*", "r").status()).isEqualTo("success");
            pub.send(new Header().command(Command.PUBLISH).topic("trades.eu"), "no");
            pub.send(new Header().command(Command.PUBLISH).topic("orders.eu"), "yes-eu");
            pub.send(new Header().command(Command.PUBLISH).topic("orders.us"), "yes-us");
            Header d = sub.awaitFrame(h -> h.command() == Command.PUBLISH);
            assertThat(d.topic()).isEqualTo("orders.eu");
            assertThat(d.subId()).isEqualTo("r");
            assertThat(sub.awaitDeliveries(1)).containsExactly("yes-us");
        }
    }

    @Test
    void shouldTreatDottedTopicAsLiteral() {
        try (RawConnection sub = connect("sub-dot"); RawConnection pub = connect("pub-dot")) {
            subscribe(sub, "a.b", "d");
            pub.send(new Header().command(Command.PUBLISH).topic("axb"), "no");
            pub.send(new Header().command(Command.PUBLISH).topic("a.b"), "yes");
            assertThat(sub.awaitDeliveries(1)).containsExactly("yes");
        }
    }

    @Test
    void shouldRejectBadRegexWithReasonAndStayUsable() {
        try (RawConnection c = connect("bad-regex")) {
            Header ack = subscribe(c, "orders.(", "x");
            assertThat(ack.status()).isEqualTo("failure");
            assertThat(ack.reason()).startsWith(Reason.BAD_REGEX_TOPIC);
            assertThat(subscribe(c, "orders", "y").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldRejectPublishToPatternAndMissingTopic() {
        try (RawConnection c = connect("bad-publish")) {
            assertThat(publishAcked(c, "orders.*", "x").reason()).startsWith(Reason.INVALID_TOPIC);
            String cid = c.nextCommandId();
            c.send(new Header().command(Command.PUBLISH).commandId(cid).ackTypes(PROCESSED), "x");
            assertThat(c.awaitAck(cid).reason()).isEqualTo(Reason.NO_TOPIC);
            assertThat(publishAcked(c, "fine", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldAnswerUnknownCommandWithFailureAndKeepConnection() {
        try (RawConnection c = connect("unknown-cmd")) {
            c.send(new Header().command(Command.PUBLISH).commandId("u1").ackTypes(PROCESSED), (byte[]) null);
            c.awaitAck("u1");
            c.sendBytes(rawFrame("{\"c\":\"frobnicate\",\"cid\":\"u2\",\"a\":\"processed\"}"));
            Header ack = c.awaitAck("u2");
            assertThat(ack.reason()).startsWith(Reason.UNKNOWN_COMMAND).contains("frobnicate");
            assertThat(publishAcked(c, "still-works", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldSendNoAckUnlessRequested() {
        try (RawConnection c = connect("no-acks")) {
            c.send(new Header().command(Command.PUBLISH).topic("quiet"), "x");
            c.send(new Header().command(Command.SUBSCRIBE).commandId("q").topic("quiet2"), (byte[]) null);
            assertThat(c.read(QUIET)).isNull();
        }
    }

    @Test
    void shouldSendEachRequestedAckType() {
        try (RawConnection c = connect("all-acks")) {
            c.send(new Header().command(Command.PUBLISH).commandId("p").topic("t").sequence(1).ackTypes(
                    AckType.RECEIVED.bit() | PROCESSED | AckType.PERSISTED.bit()), "x");
            List<AckType> types = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Header ack = c.awaitAck("p");
                types.add(ack.ackType());
                assertThat(ack.sequence()).isEqualTo(1);
            }
            assertThat(types).containsExactly(AckType.RECEIVED, AckType.PROCESSED, AckType.PERSISTED);
        }
    }

    @Test
    void shouldRefuseDuplicateSubIdUnlessReplace() {
        try (RawConnection c = connect("dup-sub"); RawConnection pub = connect("dup-pub")) {
            assertThat(subscribe(c, "one", "s").status()).isEqualTo("success");
            assertThat(subscribe(c, "one", "s").reason()).isEqualTo(Reason.SUBSCRIPTION_ALREADY_EXISTS);
            c.send(new Header().command(Command.SUBSCRIBE).commandId("rep").topic("two").subId("s").options("replace")
                    .ackTypes(PROCESSED), (byte[]) null);
            assertThat(c.awaitAck("rep").status()).isEqualTo("success");
            pub.send(new Header().command(Command.PUBLISH).topic("one"), "old");
            pub.send(new Header().command(Command.PUBLISH).topic("two"), "new");
            assertThat(c.awaitDeliveries(1)).containsExactly("new");
        }
    }

    @Test
    void shouldGroupSeveralMatchingSubscriptionsOfOneConnectionIntoOneDelivery() {
        try (RawConnection c = connect("sids"); RawConnection pub = connect("sids-pub")) {
            subscribe(c, "multi", "a");
            subscribe(c, "mul.*", "b");
            pub.send(new Header().command(Command.PUBLISH).topic("multi"), "x");
            Header d = c.awaitFrame(h -> h.command() == Command.PUBLISH);
            assertThat(d.subIds()).isEqualTo("a,b");
            assertThat(c.read(QUIET)).isNull();
        }
    }

    @Test
    void shouldStopDeliveringAfterUnsubscribeByIdListAndAll() {
        try (RawConnection c = connect("unsub"); RawConnection pub = connect("unsub-pub")) {
            subscribe(c, "u1", "a");
            subscribe(c, "u2", "b");
            subscribe(c, "u3", "c");
            c.send(new Header().command(Command.UNSUBSCRIBE).commandId("x").subId("a,b").ackTypes(PROCESSED),
                    (byte[]) null);
            assertThat(c.awaitAck("x").status()).isEqualTo("success");
            pub.send(new Header().command(Command.PUBLISH).topic("u1"), "1");
            pub.send(new Header().command(Command.PUBLISH).topic("u3"), "3");
            assertThat(c.awaitDeliveries(1)).containsExactly("3");
            c.send(new Header().command(Command.UNSUBSCRIBE).commandId("y").subId("all").ackTypes(PROCESSED),
                    (byte[]) null);
            c.awaitAck("y");
            publishAcked(pub, "u3", "after");
            assertThat(c.read(QUIET)).isNull();
        }
    }

    @Test
    void shouldAckFlushAfterEarlierCommands() {
        try (RawConnection c = connect("flusher")) {
            for (int i = 0; i < 100; i++) {
                c.send(new Header().command(Command.PUBLISH).topic("f"), "x");
            }
            c.send(new Header().command(Command.FLUSH).commandId("fl").ackTypes(PROCESSED), (byte[]) null);
            assertThat(c.awaitAck("fl").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldKnockOffOlderConnectionWithSameNameAndUser() {
        try (RawConnection first = connect("same-name"); RawConnection second = connect("same-name")) {
            assertThat(first.awaitClosed(WAIT)).isTrue();
            assertThat(publishAcked(second, "t", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldRefuseSameNameForAnotherUser() {
        try (RawConnection first = new RawConnection(broker.port());
                RawConnection second = new RawConnection(broker.port())) {
            assertThat(first.logon("owned", "alice", "pw").status()).isEqualTo("success");
            Header ack = second.logon("owned", "bob", "pw");
            assertThat(ack.reason()).isEqualTo(Reason.NAME_IN_USE);
            assertThat(publishAcked(first, "t", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldSendHeartbeatsAndDisconnectSilentClient() {
        try (RawConnection c = connect("hb")) {
            c.send(new Header().command(Command.HEARTBEAT).options("start,1"), (byte[]) null);
            Header beat = c.awaitFrame(h -> h.command() == Command.HEARTBEAT);
            assertThat(beat).isNotNull();
            // Stay silent: the broker must cut us after 2x the interval.
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void shouldKeepClientThatAnswersHeartbeats() {
        try (RawConnection c = connect("hb-alive")) {
            c.send(new Header().command(Command.HEARTBEAT).options("start,1"), (byte[]) null);
            long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
            int beats = 0;
            while (System.nanoTime() < until) {
                Header h = c.read(Duration.ofMillis(500));
                if (h != null && h.command() == Command.HEARTBEAT) {
                    beats++;
                    c.send(new Header().command(Command.HEARTBEAT).options("beat"), (byte[]) null);
                }
            }
            assertThat(beats).isGreaterThanOrEqualTo(2);
            assertThat(publishAcked(c, "t", "alive").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSentMalformedHeader() {
        try (RawConnection bad = connect("malformed"); RawConnection good = connect("good-neighbour")) {
            bad.sendBytes(rawFrame("{\"c\":\"p\",\"t\":[1,2]}"));
            assertThat(bad.awaitClosed(WAIT)).isTrue();
            assertThat(publishAcked(good, "t", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldCloseConnectionSendingOversizedFrame() {
        try (RawConnection bad = connect("oversized"); RawConnection good = connect("good-2")) {
            bad.sendBytes(new byte[] {0x7f, 0, 0, 0, '{', '}'});
            assertThat(bad.awaitClosed(WAIT)).isTrue();
            assertThat(publishAcked(good, "t", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldSurviveGarbageAndTruncatedFrames() {
        try (RawConnection good = connect("good-3")) {
            try (RawConnection garbage = new RawConnection(broker.port())) {
                garbage.sendBytes("GET / HTTP/1.1\r\nHost: farad\r\n\r\n".getBytes());
                assertThat(garbage.awaitClosed(WAIT)).isTrue();
            }
            try (RawConnection truncated = new RawConnection(broker.port())) {
                byte[] frame = rawFrame("{\"c\":\"logon\",\"client_name\":\"t\"}");
                truncated.sendBytes(java.util.Arrays.copyOf(frame, frame.length - 5));
            }
            assertThat(publishAcked(good, "t", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldHandleFramesArrivingByteByByte() {
        try (RawConnection c = new RawConnection(broker.port())) {
            for (byte b : rawFrame("{\"c\":\"logon\",\"cid\":\"1\",\"client_name\":\"slow-writer\",\"a\":\"processed\"}")) {
                c.sendBytes(new byte[] {b});
            }
            assertThat(c.awaitAck("1").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldForgetSubscriptionsOfClosedConnections() {
        try (RawConnection pub = connect("forget-pub")) {
            try (RawConnection sub = connect("forget-sub")) {
                subscribe(sub, "gone", "g");
            }
            await().atMost(WAIT).until(() -> broker.connectionCount() == 1);
            assertThat(publishAcked(pub, "gone", "x").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldDeliverOnlyMessagesMatchingTheFilter() {
        try (RawConnection sub = connect("filtered"); RawConnection pub = connect("filtered-pub")) {
            String cid = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("fills.*")
                    .filter("/status = 'open' AND /qty > 100").ackTypes(PROCESSED), (byte[]) null);
            assertThat(sub.awaitAck(cid).status()).isEqualTo("success");
            pub.send(new Header().command(Command.PUBLISH).topic("fills.eu"), "{\"status\":\"open\",\"qty\":50}");
            pub.send(new Header().command(Command.PUBLISH).topic("fills.eu"), "not json");
            pub.send(new Header().command(Command.PUBLISH).topic("fills.us"), "{\"status\":\"open\",\"qty\":500}");
            assertThat(sub.awaitDeliveries(1)).containsExactly("{\"status\":\"open\",\"qty\":500}");
        }
    }

    @Test
    void shouldRejectBadFilterWithPositionInReason() {
        try (RawConnection c = connect("bad-filter")) {
            String cid = c.nextCommandId();
            c.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("t").filter("/a = = 1")
                    .ackTypes(PROCESSED), (byte[]) null);
            Header ack = c.awaitAck(cid);
            assertThat(ack.status()).isEqualTo("failure");
            assertThat(ack.reason()).isEqualTo(Reason.BAD_FILTER + ": at position 5: expected an operand (field path,"
                    + " literal, function call or '(') but found '='");
        }
    }

    static byte[] rawFrame(String header) {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = new byte[4 + h.length];
        out[0] = (byte) (h.length >>> 24);
        out[1] = (byte) (h.length >>> 16);
        out[2] = (byte) (h.length >>> 8);
        out[3] = (byte) h.length;
        System.arraycopy(h, 0, out, 4, h.length);
        return out;
    }
}
