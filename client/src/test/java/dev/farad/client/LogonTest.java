package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.client.exceptions.AuthenticationException;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.NameInUseException;
import dev.farad.server.Authenticator.Result;
import dev.farad.testsupport.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Logon: credentials from the URI or an authenticator, refusals, names in use. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogonTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.authenticator((user, password, remote) ->
            "secret".equals(password) ? Result.accepted("welcome") : Result.refused()));

    private final List<Client> clients = new CopyOnWriteArrayList<>();

    private Client client(String name) {
        Client c = new Client(name);
        clients.add(c);
        return c;
    }

    private String uri(String user, String password) {
        return broker.uri().replace("tcp://", "tcp://" + user + ":" + password + "@");
    }

    @AfterEach
    void close() {
        clients.forEach(Client::close);
    }

    @Test
    void shouldLogOnWithPasswordFromUri() {
        Client c = client("uri-creds");
        c.connect(uri("alice", "secret"));
        c.logon(WAIT);
        assertThat(c.isLoggedOn()).isTrue();
    }

    @Test
    void shouldThrowAuthenticationExceptionForRefusedCredentialsAndStayUsable() {
        Client c = client("refused");
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connect(uri("alice", "wrong"));
        assertThatThrownBy(() -> c.logon(WAIT)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("logon").hasMessageContaining("auth failure")
                .hasMessageNotContaining("wrong");
        assertThat(c.isConnected()).isFalse();
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.DISCONNECTED);
        c.connect(uri("alice", "secret"));
        c.logon(WAIT);
        assertThat(c.isLoggedOn()).isTrue();
    }

    @Test
    void shouldUseAuthenticatorForPassword() {
        Client c = client("with-authenticator");
        List<String> completed = new CopyOnWriteArrayList<>();
        c.setAuthenticator(new Authenticator() {
            @Override
            public String authenticate(String user, String password) {
                return "secret";
            }

            @Override
            public void completed(String user, String password, String reason) {
                completed.add(reason);
            }
        });
        c.connect(uri("bob", "ignored"));
        c.logon(WAIT);
        assertThat(completed).containsExactly("welcome");
    }

    @Test
    void shouldThrowNameInUseForSameNameWithOtherUser() {
        Client first = client("taken");
        first.connect(uri("alice", "secret"));
        first.logon(WAIT);
        Client second = client("taken");
        second.connect(uri("bob", "secret"));
        assertThatThrownBy(() -> second.logon(WAIT)).isInstanceOf(NameInUseException.class);
        assertThat(first.isLoggedOn()).isTrue();
    }

    @Test
    void shouldThrowDisconnectedWhenLoggingOnWithoutConnection() {
        Client c = client("unconnected");
        assertThatThrownBy(() -> c.logon(WAIT)).isInstanceOf(DisconnectedException.class)
                .hasMessageContaining("not connected");
    }

    @Test
    void shouldReportServerVersionAndLogonSequence() {
        Client c = client("version");
        c.connect(uri("alice", "secret"));
        c.logon(WAIT);
        assertThat(c.serverVersion()).isNotBlank();
        assertThat(c.lastLogonSequence()).isZero();
    }
}
