package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.StreamException;
import dev.farad.testsupport.BrokerExtension;
import dev.farad.testsupport.FaultProxy;
import dev.farad.testsupport.ScriptedBroker;
import dev.farad.testsupport.ScriptedBroker.Fault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Losing the connection: the disconnect handler, blocked callers, streams. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DisconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    final BrokerExtension primary = new BrokerExtension();

    private final ScriptedBroker scripted = ScriptedBroker.start();
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final List<Throwable> absorbed = new CopyOnWriteArrayList<>();

    private Client client(String name) {
        Client c = new Client(name);
        c.setExceptionListener(absorbed::add);
        clients.add(c);
        return c;
    }

    @AfterEach
    void close() {
        clients.forEach(Client::close);
        scripted.close();
    }

    @Test
    void shouldRunDisconnectHandlerOnReceiveThreadWhenBrokerDropsConnection() {
        Client c = client("dropped");
        CompletableFuture<String> thread = new CompletableFuture<>();
        c.setDisconnectHandler(cl -> thread.complete(Thread.currentThread().getName()));
        c.connect(scripted.uri());
        c.logon(WAIT);
        scripted.closeConnections();
        assertThat(thread).succeedsWithin(WAIT).asString().startsWith("farad-client-io-");
    }

    @Test
    void shouldRunDisconnectHandlerOnceWhicheverThreadNoticesTheLoss() {
        Client c = client("racing-detectors");
        List<String> threads = new CopyOnWriteArrayList<>();
        c.setDisconnectHandler(cl -> threads.add(Thread.currentThread().getName()));
        c.connect(scripted.uri());
        c.logon(WAIT);
        scripted.closeConnections();
        // Publish until a send fails: either this thread or the receive thread reports the loss.
        await().atMost(WAIT).until(() -> {
            try {
                c.publish("race", "x");
                return false;
            } catch (DisconnectedException e) {
                return true;
            }
        });
        await().atMost(WAIT).until(() -> !threads.isEmpty());
        assertThat(threads).hasSize(1);
        assertThat(threads.get(0)).matches("farad-client-io-\\d+|" + Thread.currentThread().getName());
    }

    @Test
    void shouldReportDisconnectedThenShutdownAndDisconnectedExceptionWhenNotReconnected() {
        Client c = client("gone");
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connect(scripted.uri());
        c.logon(WAIT);
        scripted.closeConnections();
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON, ConnectionState.DISCONNECTED,
                ConnectionState.SHUTDOWN);
        await().atMost(WAIT).until(() -> !absorbed.isEmpty());
        assertThat(absorbed.get(0)).isInstanceOf(DisconnectedException.class).hasMessageContaining("reconnect failed");
        assertThatThrownBy(() -> c.publish("t", "x")).isInstanceOf(DisconnectedException.class);
    }

    @Test
    void shouldPassDisconnectHandlerExceptionToExceptionListener() {
        Client c = client("throwing-handler");
        c.setDisconnectHandler(cl -> {
            throw new IllegalStateException("handler failed");
        });
        c.connect(scripted.uri());
        c.logon(WAIT);
        scripted.closeConnections();
        await().atMost(WAIT).until(() -> absorbed.size() == 2);
        assertThat(absorbed.get(0)).isInstanceOf(IllegalStateException.class).hasMessage("handler failed");
        assertThat(absorbed.get(1)).isInstanceOf(DisconnectedException.class);
    }

    @Test
    void shouldFailCallerBlockedOnReplyWithDisconnectedException() {
        scripted.nextConnectionFaults(Fault.STALL);
        Client c = client("blocked");
        c.connect(scripted.uri());
        c.logon(WAIT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                c.subscribe(m -> { }, "never-acked", null, Duration.ofSeconds(20));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        caller.start();
        assertThat(scripted.takeCommand("subscribe", WAIT)).isNotNull();
        scripted.closeConnections();
        await().atMost(WAIT).until(() -> failure.get() != null);
        assertThat(failure.get()).isInstanceOf(DisconnectedException.class);
    }

    @Test
    void shouldFailCallerBlockedOnReplyOnlyAfterDisconnectHandlerReturns() {
        scripted.nextConnectionFaults(Fault.STALL);
        Client c = client("after-handler");
        List<String> order = new CopyOnWriteArrayList<>();
        c.setDisconnectHandler(cl -> order.add("handler"));
        c.connect(scripted.uri());
        c.logon(WAIT);
        Thread caller = new Thread(() -> {
            try {
                c.flush(Duration.ofSeconds(20));
            } catch (DisconnectedException e) {
                order.add("caller");
            }
        });
        caller.start();
        assertThat(scripted.takeCommand("flush", WAIT)).isNotNull();
        scripted.closeConnections();
        await().atMost(WAIT).until(() -> order.size() == 2);
        assertThat(order).containsExactly("handler", "caller");
    }

    @Test
    void shouldDrainStreamThenThrowDisconnectedException() {
        Client c = client("drain");
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", primary.port())) {
            c.connect(proxy.uri());
            c.logon(WAIT);
            MessageStream stream = c.subscribe("drain");
            c.publish("drain", "1");
            c.publish("drain", "2");
            c.flush(WAIT);
            proxy.cut();
            await().atMost(WAIT).until(() -> !c.isConnected());
            assertThat(stream.poll(WAIT).dataAsString()).isEqualTo("1");
            assertThat(stream.poll(WAIT).dataAsString()).isEqualTo("2");
            assertThatThrownBy(() -> stream.poll(WAIT)).isInstanceOf(DisconnectedException.class);
            stream.close();
        }
    }

    @Test
    void shouldTreatConnectionClosedMidFrameAsDisconnect() {
        scripted.nextConnectionFaults(Fault.CLOSE_MID_FRAME);
        Client c = client("mid-frame");
        CompletableFuture<Void> handled = new CompletableFuture<>();
        c.setDisconnectHandler(cl -> handled.complete(null));
        c.connect(scripted.uri());
        c.logon(WAIT);
        assertThat(handled).succeedsWithin(WAIT);
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void shouldReportStreamExceptionWhenBrokerSendsMalformedFrame() {
        Client c = client("garbage");
        c.connect(scripted.uri());
        c.logon(WAIT);
        scripted.sendRawToAll(new byte[] {0, 0, 0, 5, 'n', 'o', 'p', 'e', '!'});
        await().atMost(WAIT).until(() -> absorbed.stream().anyMatch(StreamException.class::isInstance));
        await().atMost(WAIT).until(() -> !c.isConnected());
    }

    @Test
    void shouldStayUsableForNewConnectAfterDisconnect() {
        Client c = client("reusable");
        c.connect(scripted.uri());
        c.logon(WAIT);
        scripted.closeConnections();
        await().atMost(WAIT).until(() -> !c.isConnected());
        c.connect(primary.uri());
        c.logon(WAIT);
        try (MessageStream s = c.subscribe("again")) {
            c.publish("again", "yes");
            assertThat(s.poll(WAIT).dataAsString()).isEqualTo("yes");
        }
    }

    @Test
    void shouldKnockOffOlderConnectionWithSameNameAndUser() {
        Client first = client("same-name");
        RecordingConnectionListener states = new RecordingConnectionListener();
        first.addConnectionStateListener(states);
        first.connect(primary.uri());
        first.logon(WAIT);
        Client second = client("same-name");
        second.connect(primary.uri());
        second.logon(WAIT);
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON, ConnectionState.DISCONNECTED,
                ConnectionState.SHUTDOWN);
        assertThat(second.isLoggedOn()).isTrue();
    }

    // Example 5.4 (a disconnect handler walking a list of URIs) runs as written in
    // examples/SimpleClientFailover, tested by ExamplesTest.shouldFailOverToBackupInExample54.
}
