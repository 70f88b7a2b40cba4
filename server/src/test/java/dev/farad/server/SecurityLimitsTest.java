package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One refusal and one acceptance per configurable limit that BrokerLimitsTest does not cover. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int PROCESSED = AckType.PROCESSED.bit();

    private final ListAppender<ILoggingEvent> closes = new ListAppender<>();
    private final Logger connectionLog = (Logger) LoggerFactory.getLogger("dev.farad.server.Connection");

    @BeforeEach
    void capture() {
        closes.start();
        connectionLog.addAppender(closes);
    }

    @AfterEach
    void release() {
        connectionLog.detachAppender(closes);
    }

    private void awaitCloseReason(String reason) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(closes.list).anySatisfy(e ->
                assertThat(e.getFormattedMessage()).contains("closed: " + reason)));
    }

    private static Header subscribeWithFilter(RawConnection c, String filter) {
        String cid = c.nextCommandId();
        c.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("t").filter(filter).ackTypes(PROCESSED),
                (byte[]) null);
        return c.awaitAck(cid);
    }

    private static byte[] frame(String header, int payloadBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + h.length + payloadBytes);
        b.putInt(h.length + payloadBytes).put(h);
        return b.array();
    }

    @Test
    void shouldRefuseFiltersLongerThanTheLimit() {
        try (Broker broker = Broker.start(TestConfigs.builder().port(0).maxFilterLength(40).build());
                RawConnection c = new RawConnection(broker.port())) {
            c.logon("filter-length");
            String ok = "/a = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'";
            assertThat(ok).hasSizeLessThanOrEqualTo(40);
            assertThat(subscribeWithFilter(c, ok).status()).isEqualTo("success");
            Header refused = subscribeWithFilter(c, ok + " OR /b = 1");
            assertThat(refused.reason()).startsWith(Reason.BAD_FILTER).contains("at most 40 characters");
        }
    }

    @Test
    void shouldRefuseFiltersNestedDeeperThanTheLimit() {
        try (Broker broker = Broker.start(TestConfigs.builder().port(0).maxFilterDepth(8).build());
                RawConnection c = new RawConnection(broker.port())) {
            c.logon("filter-depth");
            assertThat(subscribeWithFilter(c, "((/a = 1))").status()).isEqualTo("success");
            String deep = "(".repeat(50) + "/a = 1" + ")".repeat(50);
            assertThat(subscribeWithFilter(c, deep).reason()).startsWith(Reason.BAD_FILTER).contains("depth");
        }
    }

    @Test
    void shouldApplyTheFilterLimitsToQueriesAndDeletesToo() {
        BrokerConfig config = TestConfigs.builder().port(0).maxFilterLength(10)
                .sowTopic(SowTopicConfig.keyed("s", "/id")).build();
        try (Broker broker = Broker.start(config); RawConnection c = new RawConnection(broker.port())) {
            c.logon("filter-commands");
            for (Command cmd : new Command[] {Command.SOW, Command.SOW_DELETE}) {
                String cid = c.nextCommandId();
                c.send(new Header().command(cmd).commandId(cid).topic("s").filter("/a = 1 AND /b = 2")
                        .ackTypes(PROCESSED), (byte[]) null);
                assertThat(c.awaitAck(cid).reason()).as(cmd.toString()).startsWith(Reason.BAD_FILTER);
            }
        }
    }

    @Test
    void shouldApplyTheRegexLimitToEveryCommandThatCompilesATopicPattern() {
        BrokerConfig config = TestConfigs.builder().port(0).maxRegexLength(12)
                .sowTopic(SowTopicConfig.keyed("s.*", "/id")).build();
        try (Broker broker = Broker.start(config); RawConnection c = new RawConnection(broker.port())) {
            c.logon("regex-commands");
            for (Command cmd : new Command[] {Command.SUBSCRIBE, Command.SOW, Command.SOW_AND_SUBSCRIBE,
                Command.SOW_DELETE}) {
                String cid = c.nextCommandId();
                c.send(new Header().command(cmd).commandId(cid).subId("x" + cid).topic("s(a|b|c|d|e|f)*")
                        .filter("1 = 1").ackTypes(PROCESSED), (byte[]) null);
                assertThat(c.awaitAck(cid).reason()).as(cmd.toString())
                        .isEqualTo(Reason.BAD_REGEX_TOPIC + ": longer than 12 characters");
            }
            String cid = c.nextCommandId();
            c.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("s(a|b)*").ackTypes(PROCESSED),
                    (byte[]) null);
            assertThat(c.awaitAck(cid).status()).isEqualTo("success");
        }
    }

    @Test
    void shouldCloseAConnectionSendingAFrameOverTheMaximum() {
        try (Broker broker = Broker.start(TestConfigs.builder().port(0).maxFrameBytes(4096).maxHeaderBytes(1024).build())) {
            try (RawConnection c = new RawConnection(broker.port())) {
                c.logon("big-ok");
                String cid = c.nextCommandId();
                c.send(new Header().command(Command.PUBLISH).commandId(cid).topic("t").ackTypes(PROCESSED),
                        new byte[3000]);
                assertThat(c.awaitAck(cid).status()).isEqualTo("success");
            }
            try (RawConnection c = new RawConnection(broker.port())) {
                c.logon("big-refused");
                c.sendBytes(frame("{\"c\":\"p\",\"t\":\"t\"}", 5000));
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            awaitCloseReason("frame of 5017 bytes exceeds the maximum of 4096 bytes");
        }
    }

    @Test
    void shouldCloseAConnectionSendingAHeaderOverTheMaximum() {
        try (Broker broker = Broker.start(TestConfigs.builder().port(0).maxHeaderBytes(256).build())) {
            try (RawConnection c = new RawConnection(broker.port())) {
                c.logon("header-ok");
                String cid = c.nextCommandId();
                c.send(new Header().command(Command.PUBLISH).commandId(cid).topic("t".repeat(150)).ackTypes(PROCESSED),
                        "{}");
                assertThat(c.awaitAck(cid).status()).isEqualTo("success");
            }
            try (RawConnection c = new RawConnection(broker.port())) {
                c.logon("header-refused");
                c.sendBytes(frame("{\"c\":\"p\",\"t\":\"" + "t".repeat(400) + "\"}", 0));
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            awaitCloseReason("header");
        }
    }

    @Test
    void shouldLogTheLogonTimeoutAsTheCloseReason() {
        BrokerConfig config = TestConfigs.builder().port(0).logonTimeout(Duration.ofMillis(200)).build();
        try (Broker broker = Broker.start(config); RawConnection idle = new RawConnection(broker.port())) {
            assertThat(idle.awaitClosed(WAIT)).isTrue();
            awaitCloseReason(Reason.DISCONNECT_LOGON_TIMEOUT);
        }
    }

    @Test
    void shouldLogTheConnectionLimitAsTheCloseReason() {
        try (Broker broker = Broker.start(TestConfigs.builder().port(0).maxConnections(1).build());
                RawConnection first = new RawConnection(broker.port())) {
            first.logon("only");
            try (RawConnection second = new RawConnection(broker.port())) {
                assertThat(second.awaitClosed(WAIT)).isTrue();
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(closes.list).anySatisfy(e ->
                    assertThat(e.getFormattedMessage()).contains("refused: 1 connections are open, the maximum")));
        }
    }

    @Test
    void shouldReadTheSecurityKeysFromAConfigFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("farad.properties");
        Files.writeString(file, String.join("\n", "usersFile=users.farad", "maxFilterLength=100",
                "maxFilterDepth=5", "tlsKeyStore=server.p12", "tlsKeyStorePassword=hush", ""));
        BrokerConfig c = BrokerConfig.load(file);
        assertThat(c.usersFile()).isEqualTo(dir.toAbsolutePath().resolve("users.farad"));
        assertThat(c.maxFilterLength()).isEqualTo(100);
        assertThat(c.maxFilterDepth()).isEqualTo(5);
        assertThat(c.tls().keyStore()).isEqualTo(dir.toAbsolutePath().resolve("server.p12"));
        assertThat(c.tls().password()).containsExactly('h', 'u', 's', 'h');
        assertThat(c.toString()).doesNotContain("hush");
        assertThat(BrokerConfig.defaults().maxFilterLength()).isEqualTo(4096);
        assertThat(BrokerConfig.defaults().usersFile()).isNull();
        assertThat(BrokerConfig.defaults().tls()).isNull();
        assertThatThrownBy(() -> TestConfigs.builder().maxFilterDepth(0).build())
                .hasMessage("maxFilterDepth must be > 0 but was 0");
        Files.writeString(file, "tlsKeyStorePassword=hush\nmaxFilterLength=x\n");
        assertThatThrownBy(() -> BrokerConfig.load(file)).hasMessageContaining("maxFilterLength")
                .hasMessageNotContaining("hush");
    }

    @Test
    void shouldRefuseToStartWithAKeyStoreItCannotRead(@TempDir Path dir) {
        BrokerConfig config = TestConfigs.builder().port(0)
                .tls(new TlsConfig(dir.resolve("missing.p12"), "x".toCharArray())).build();
        assertThatThrownBy(() -> Broker.start(config)).isInstanceOf(Broker.BrokerStartException.class)
                .hasMessageContaining("missing.p12");
    }
}
