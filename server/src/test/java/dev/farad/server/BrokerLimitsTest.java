package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Header;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void shouldDisconnectSlowConsumerAndKeepServingOthers() {
        BrokerConfig config = TestConfigs.builder().port(0).maxOutboundBytes(64 * 1024).build();
        try (Broker broker = Broker.start(config);
                RawConnection slow = new RawConnection(broker.port());
                RawConnection fast = new RawConnection(broker.port());
                RawConnection pub = new RawConnection(broker.port())) {
            slow.logon("slow");
            fast.logon("fast");
            pub.logon("pub");
            slow.send(new Header().command(Command.SUBSCRIBE).commandId("s").topic("firehose")
                    .ackTypes(AckType.PROCESSED.bit()), (byte[]) null);
            slow.awaitAck("s");
            byte[] payload = new byte[16 * 1024];
            // The slow client never reads; the broker must cut it once its queue passes the bound.
            for (int i = 0; i < 2000 && broker.connectionCount() == 3; i++) {
                pub.send(new Header().command(Command.PUBLISH).topic("firehose"), payload);
            }
            assertThat(slow.awaitClosed(Duration.ofSeconds(20))).isTrue();
            pub.send(new Header().command(Command.PUBLISH).commandId("after").topic("other")
                    .ackTypes(AckType.PROCESSED.bit()), "x");
            assertThat(pub.awaitAck("after").status()).isEqualTo("success");
            fast.send(new Header().command(Command.FLUSH).commandId("f").ackTypes(AckType.PROCESSED.bit()), (byte[]) null);
            assertThat(fast.awaitAck("f").status()).isEqualTo("success");
        }
    }

    @Test
    void shouldCloseConnectionThatNeverLogsOn() {
        BrokerConfig config = TestConfigs.builder().port(0).logonTimeout(Duration.ofMillis(300)).build();
        try (Broker broker = Broker.start(config); RawConnection idle = new RawConnection(broker.port())) {
            assertThat(idle.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void shouldRefuseConnectionsOverTheMaximum() {
        BrokerConfig config = TestConfigs.builder().port(0).maxConnections(1).build();
        try (Broker broker = Broker.start(config); RawConnection first = new RawConnection(broker.port())) {
            assertThat(first.logon("first").status()).isEqualTo("success");
            try (RawConnection second = new RawConnection(broker.port())) {
                assertThat(second.awaitClosed(WAIT)).isTrue();
            }
        }
    }

    @Test
    void shouldLimitSubscriptionsPerConnection() {
        BrokerConfig config = TestConfigs.builder().port(0).maxSubscriptionsPerConnection(2).build();
        try (Broker broker = Broker.start(config); RawConnection c = new RawConnection(broker.port())) {
            c.logon("limited");
            for (String id : new String[] {"a", "b", "c"}) {
                c.send(new Header().command(Command.SUBSCRIBE).commandId(id).topic("t" + id)
                        .ackTypes(AckType.PROCESSED.bit()), (byte[]) null);
            }
            c.awaitAck("a");
            c.awaitAck("b");
            assertThat(c.awaitAck("c").reason()).startsWith("subscription limit reached");
        }
    }

    @Test
    void shouldRejectOverlongRegex() {
        BrokerConfig config = TestConfigs.builder().port(0).maxRegexLength(8).build();
        try (Broker broker = Broker.start(config); RawConnection c = new RawConnection(broker.port())) {
            c.logon("regex-limit");
            c.send(new Header().command(Command.SUBSCRIBE).commandId("r").topic("abcdefgh.*")
                    .ackTypes(AckType.PROCESSED.bit()), (byte[]) null);
            assertThat(c.awaitAck("r").reason()).startsWith("bad regex topic");
        }
    }

    @Test
    void shouldRefuseLogonWhenAuthenticatorSaysNo() {
        BrokerConfig config = TestConfigs.builder().port(0)
                .authenticator((user, pw, remote) -> "right".equals(pw)
                        ? Authenticator.Result.accepted("ok") : Authenticator.Result.refused())
                .build();
        try (Broker broker = Broker.start(config)) {
            try (RawConnection c = new RawConnection(broker.port())) {
                assertThat(c.logon("u", "alice", "wrong").reason()).isEqualTo("auth failure");
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            try (RawConnection c = new RawConnection(broker.port())) {
                assertThat(c.logon("u", "alice", "right").status()).isEqualTo("success");
            }
        }
    }

    @Test
    void shouldValidateConfigNamingTheField() {
        assertThatThrownBy(() -> TestConfigs.builder().port(70000).build())
                .hasMessage("port must be in 0..65535 but was 70000");
        assertThatThrownBy(() -> TestConfigs.builder().logonTimeout(Duration.ZERO).build())
                .hasMessageContaining("logonTimeout must be > 0");
    }

    @Test
    void shouldFailToStartOnBusyPortWithClearMessage() {
        try (Broker first = Broker.start(TestConfigs.builder().port(0).build())) {
            assertThatThrownBy(() -> Broker.start(TestConfigs.builder().port(first.port()).build()))
                    .isInstanceOf(Broker.BrokerStartException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
        }
    }
}
