package dev.farad.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.client.Client;
import dev.farad.client.FailedWrite;
import dev.farad.client.Message;
import dev.farad.client.MessageStream;
import dev.farad.client.TrustStores;
import dev.farad.client.exceptions.AuthenticationException;
import dev.farad.client.exceptions.ConnectionException;
import dev.farad.client.exceptions.NotEntitledException;
import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.TlsConfig;
import dev.farad.testsupport.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Users, entitlements and TLS seen from the real client, with users files made by {@code farad passwd}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @TempDir
    static Path certDir;

    private static TestCertificates certs;

    @BeforeAll
    static void makeCertificate() {
        certs = TestCertificates.generate(certDir);
    }

    private record Run(int code, String out, String err) {}

    private static Run passwd(Path file, String user, String stdin) {
        PasswdCommand cmd = new PasswdCommand();
        cmd.console = null;
        cmd.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        CommandLine cl = Farad.commandLine();
        assertThat(cl.getSubcommands()).containsKey("passwd");
        CommandLine sub = new CommandLine(cmd);
        sub.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        sub.setOut(new PrintWriter(out));
        sub.setErr(new PrintWriter(err));
        int code = sub.execute(user, "--file", file.toString(), "--iterations", "1000");
        return new Run(code, out.toString(), err.toString());
    }

    private Path usersFile(String... entitlements) throws Exception {
        Path file = dir.resolve("farad.users");
        assertThat(passwd(file, "alice", "alice-pw\n").code()).isZero();
        Files.write(file, List.of(entitlements), StandardOpenOption.APPEND);
        return file;
    }

    private static String uri(Broker broker, String credentials) {
        return broker.uri().replace("://", "://" + credentials + "@");
    }

    @Test
    void shouldAddThenUpdateAUserWithoutStoringThePassword() throws Exception {
        Path file = dir.resolve("users");
        Run added = passwd(file, "bob", "first-pw\n");
        assertThat(added.code()).isZero();
        assertThat(added.out()).contains("added user 'bob'").contains("no entitlements yet");
        String before = Files.readString(file);
        Run updated = passwd(file, "bob", "second-pw\n");
        assertThat(updated.out()).contains("updated user 'bob'");
        String after = Files.readString(file);
        assertThat(after).isNotEqualTo(before).doesNotContain("first-pw").doesNotContain("second-pw")
                .startsWith("user bob pbkdf2-sha256$1000$");
        assertThat(after.lines()).hasSize(1);
    }

    @Test
    void shouldRefuseAnEmptyPassword() {
        Run r = passwd(dir.resolve("users"), "bob", "\n");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("must not be empty");
        assertThat(dir.resolve("users")).doesNotExist();
    }

    @Test
    void shouldLogOnWithTheRightPasswordAndRaiseAuthenticationExceptionOtherwise() throws Exception {
        Path users = usersFile("read alice orders\\..*", "write alice orders\\..*");
        try (Broker broker = Broker.start(BrokerConfig.builder().port(0).usersFile(users).build())) {
            try (Client bad = new Client("bad")) {
                bad.connect(uri(broker, "alice:wrong"));
                assertThatThrownBy(() -> bad.logon(WAIT)).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("auth failure").hasMessageNotContaining("wrong");
                assertThat(bad.isConnected()).isFalse();
            }
            try (Client good = new Client("good")) {
                good.connect(uri(broker, "alice:alice-pw"));
                good.logon(WAIT);
                try (MessageStream s = good.subscribe("orders\\..*")) {
                    good.publish("orders.eu", "{\"id\":1}");
                    Message m = s.poll(WAIT);
                    assertThat(m).isNotNull();
                    assertThat(m.topic()).isEqualTo("orders.eu");
                }
            }
        }
    }

    @Test
    void shouldRaiseNotEntitledExceptionOutsideTheGrants() throws Exception {
        Path users = usersFile("read alice orders\\..*", "write alice orders\\..*");
        try (Broker broker = Broker.start(BrokerConfig.builder().port(0).usersFile(users).build());
                Client c = new Client("limited")) {
            c.connect(uri(broker, "alice:alice-pw"));
            c.logon(WAIT);
            assertThatThrownBy(() -> c.subscribe("payroll")).isInstanceOf(NotEntitledException.class)
                    .hasMessageContaining("not entitled");
            CompletableFuture<FailedWrite> failed = new CompletableFuture<>();
            c.setFailedWriteHandler(failed::complete);
            c.sowDelete("payroll", "1 = 1");
            assertThat(failed.get(5, TimeUnit.SECONDS).reason()).isEqualTo("not entitled");
            c.subscribe("orders.us").close(); // still fine afterwards
        }
    }

    @Test
    void shouldSpeakTlsToAClientThatTrustsTheCertificate() {
        BrokerConfig config = BrokerConfig.builder().port(0).tls(new TlsConfig(certs.keyStore(), certs.password()))
                .build();
        try (Broker broker = Broker.start(config); Client c = new Client("tls")) {
            assertThat(broker.uri()).startsWith("tcps://127.0.0.1:");
            c.setSslContext(TrustStores.load(certs.trustStore(), certs.password()));
            c.connect(broker.uri());
            c.logon(WAIT);
            try (MessageStream s = c.subscribe("secure")) {
                c.publish("secure", "{\"over\":\"tls\"}");
                assertThat(s.poll(WAIT).dataAsString()).isEqualTo("{\"over\":\"tls\"}");
            }
        }
    }

    @Test
    void shouldRefuseAServerCertificateTheClientDoesNotTrust() {
        BrokerConfig config = BrokerConfig.builder().port(0).tls(new TlsConfig(certs.keyStore(), certs.password()))
                .build();
        try (Broker broker = Broker.start(config); Client c = new Client("untrusting")) {
            assertThatThrownBy(() -> c.connect(broker.uri())).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("TLS handshake").hasCauseInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
        }
    }

    @Test
    void shouldRefuseAServerCertificateForAnotherHost() {
        BrokerConfig config = BrokerConfig.builder().port(0).bindAddress("127.0.0.2")
                .tls(new TlsConfig(certs.keyStore(), certs.password())).build();
        try (Broker broker = Broker.start(config); Client c = new Client("wrong-host")) {
            c.setSslContext(TrustStores.load(certs.trustStore(), certs.password()));
            assertThatThrownBy(() -> c.connect(broker.uri())).isInstanceOf(ConnectionException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void shouldNotTalkPlainTcpToATlsListener() {
        BrokerConfig config = BrokerConfig.builder().port(0).logonTimeout(Duration.ofSeconds(2))
                .tls(new TlsConfig(certs.keyStore(), certs.password())).build();
        try (Broker broker = Broker.start(config); Client c = new Client("plain")) {
            c.connect(broker.uri().replace("tcps://", "tcp://"));
            assertThatThrownBy(() -> c.logon(WAIT)).isInstanceOf(ConnectionException.class);
        }
    }
}
