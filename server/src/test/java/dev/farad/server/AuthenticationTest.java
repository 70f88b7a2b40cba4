package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import dev.farad.server.internal.UsersFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthenticationTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Broker start(Users users) {
        return Broker.start(TestConfigs.builder().port(0).usersFile(users.writeTo(dir)).build());
    }

    @Test
    void shouldAcceptTheRightPasswordAndRefuseWrongOnesClosingTheConnection() {
        try (Broker broker = start(new Users().user("alice", "s3cret-Pw").line("read alice .*"))) {
            try (RawConnection c = new RawConnection(broker.port())) {
                Header ack = c.logon("app", "alice", "s3cret-Pw");
                assertThat(ack.status()).isEqualTo("success");
            }
            try (RawConnection c = new RawConnection(broker.port())) {
                Header ack = c.logon("app", "alice", "wrong");
                assertThat(ack.status()).isEqualTo("failure");
                assertThat(ack.reason()).isEqualTo(Reason.AUTH_FAILURE);
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            try (RawConnection c = new RawConnection(broker.port())) {
                assertThat(c.logon("app", "mallory", "s3cret-Pw").reason()).isEqualTo(Reason.AUTH_FAILURE);
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
            try (RawConnection c = new RawConnection(broker.port())) {
                assertThat(c.logon("app", null, null).reason()).isEqualTo(Reason.AUTH_FAILURE);
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
        }
    }

    @Test
    void shouldLogRefusedLogonWithRemoteAddressButNeverThePassword() {
        Logger engineLog = (Logger) LoggerFactory.getLogger("dev.farad.server.Engine");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        engineLog.addAppender(appender);
        try (Broker broker = start(new Users().user("alice", "right-one"))) {
            try (RawConnection c = new RawConnection(broker.port())) {
                assertThat(c.logon("app", "alice", "Wr0ng-Passw0rd").reason()).isEqualTo(Reason.AUTH_FAILURE);
            }
        } finally {
            engineLog.detachAppender(appender);
        }
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("logon refused").contains("127.0.0.1"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("Wr0ng-Passw0rd"));
    }

    @Test
    void shouldQueueCommandsSentRightBehindTheLogonUntilItIsChecked() {
        try (Broker broker = start(new Users().user("alice", "pw-alice").line("write alice .*"))) {
            try (RawConnection c = new RawConnection(broker.port())) {
                c.send(new Header().command(Command.LOGON).commandId("l").clientName("pipelined").userId("alice")
                        .password("pw-alice").ackTypes(AckType.PROCESSED.bit()), (byte[]) null);
                c.send(new Header().command(Command.PUBLISH).commandId("p").topic("t")
                        .ackTypes(AckType.PROCESSED.bit()), "{}");
                assertThat(c.awaitAck("l").status()).isEqualTo("success");
                assertThat(c.awaitAck("p").status()).isEqualTo("success");
            }
        }
    }

    @Test
    void shouldWarnOnlyWithoutUsersFile() {
        Logger brokerLog = (Logger) LoggerFactory.getLogger(Broker.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        brokerLog.addAppender(appender);
        try {
            try (Broker open = Broker.start(TestConfigs.builder().port(0).build())) {
                assertThat(open.port()).isPositive();
            }
            assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("AUTHENTICATION IS DISABLED"));
            appender.list.clear();
            try (Broker closed = start(new Users().user("alice", "pw"))) {
                assertThat(closed.config().authenticator()).isInstanceOf(PasswordFileAuthenticator.class);
            }
            assertThat(appender.list).noneSatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("AUTHENTICATION IS DISABLED"));
        } finally {
            brokerLog.detachAppender(appender);
        }
    }

    @Test
    void shouldStoreOnlySaltedHashes() throws Exception {
        UsersFile f = UsersFile.empty("test").withPassword("bob", "hunter2".toCharArray(), 1000)
                .withPassword("carol", "hunter2".toCharArray(), 1000);
        Path file = dir.resolve("users");
        f.write(file);
        String text = Files.readString(file);
        assertThat(text).doesNotContain("hunter2").contains("pbkdf2-sha256$1000$");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0).split(" ")[2]).isNotEqualTo(lines.get(1).split(" ")[2]); // salted
        UsersFile back = UsersFile.load(file);
        assertThat(back.verify("bob", "hunter2")).isTrue();
        assertThat(back.verify("bob", "hunter3")).isFalse();
        assertThat(back.verify("bob", "")).isFalse();
        assertThat(back.verify("nobody", "hunter2")).isFalse();
        UsersFile changed = back.withPassword("bob", "new-pw".toCharArray(), 1000);
        assertThat(changed.lines()).hasSize(2);
        assertThat(changed.verify("bob", "new-pw")).isTrue();
        assertThat(changed.verify("carol", "hunter2")).isTrue();
    }

    @Test
    void shouldRejectBrokenUsersFileNamingTheLine() {
        assertThatThrownBy(() -> UsersFile.parse("f", List.of("user alice plaintext")))
                .hasMessageContaining("f line 1").hasMessageContaining("farad passwd");
        assertThatThrownBy(() -> UsersFile.parse("f", List.of("# c", "read alice orders[")))
                .hasMessageContaining("f line 2: bad topic regex");
        assertThatThrownBy(() -> UsersFile.parse("f", List.of("read alice orders /x = ")))
                .hasMessageContaining("f line 1: bad filter");
        assertThatThrownBy(() -> UsersFile.parse("f", List.of("admin alice .*")))
                .hasMessageContaining("unknown directive 'admin'");
    }

    @Test
    void shouldKeepALoggedOnConnectionOpenPastTheLogonTimeout() {
        BrokerConfig config = TestConfigs.builder().port(0).logonTimeout(Duration.ofMillis(200)).build();
        try (Broker broker = Broker.start(config); RawConnection c = new RawConnection(broker.port())) {
            assertThat(c.logon("quick").status()).isEqualTo("success");
            assertThat(c.awaitClosed(Duration.ofMillis(600))).isFalse();
        }
    }
}
