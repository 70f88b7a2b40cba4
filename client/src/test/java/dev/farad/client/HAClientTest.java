package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.ConnectionRefusedException;
import dev.farad.client.exceptions.ReconnectMaximumExceededException;
import dev.farad.testsupport.BrokerExtension;
import dev.farad.testsupport.FaultProxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HA client: reconnect, failover, resubscribe, publish replay, giving up. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HAClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final ReconnectBackoff FAST = ReconnectBackoff.fixed(Duration.ofMillis(20));

    @RegisterExtension
    final BrokerExtension primary = new BrokerExtension();

    @RegisterExtension
    final BrokerExtension secondary = new BrokerExtension();

    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final List<Throwable> absorbed = new CopyOnWriteArrayList<>();

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    private HAClient.Builder builder(String name) {
        return HAClient.builder(name).reconnectBackoff(FAST).exceptionListener(absorbed::add);
    }

    private Client plain(String name, String uri) {
        Client c = closing(new Client(name));
        c.connect(uri);
        c.logon(WAIT);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void shouldReportConnectedLoggedOnPublishReplayedResubscribedOnConnectAndLogon() {
        HAClient ha = closing(builder("ha-states").servers(primary.uri()).build());
        RecordingConnectionListener states = new RecordingConnectionListener();
        ha.addConnectionStateListener(states);
        ha.connectAndLogon();
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON, ConnectionState.PUBLISH_REPLAYED,
                ConnectionState.RESUBSCRIBED);
    }

    @Test
    void shouldReportHeartbeatInitiatedBeforePublishReplayed() {
        HAClient ha = closing(builder("ha-beats").servers(primary.uri()).heartbeat(Duration.ofSeconds(5)).build());
        RecordingConnectionListener states = new RecordingConnectionListener();
        ha.addConnectionStateListener(states);
        ha.connectAndLogon();
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON,
                ConnectionState.HEARTBEAT_INITIATED, ConnectionState.PUBLISH_REPLAYED, ConnectionState.RESUBSCRIBED);
    }

    @Test
    void shouldFailOverAndResubscribeWhenBrokerStops() {
        HAClient ha = closing(builder("ha-failover").servers(primary.uri(), secondary.uri()).build());
        RecordingConnectionListener states = new RecordingConnectionListener();
        ha.addConnectionStateListener(states);
        ha.connectAndLogon();
        List<String> got = new CopyOnWriteArrayList<>();
        ha.subscribe(m -> got.add(m.dataAsString()), "orders", null, WAIT);
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON, ConnectionState.PUBLISH_REPLAYED,
                ConnectionState.RESUBSCRIBED);
        states.clear();

        primary.stop();

        states.awaitStates(ConnectionState.DISCONNECTED, ConnectionState.CONNECTED, ConnectionState.LOGGED_ON,
                ConnectionState.PUBLISH_REPLAYED, ConnectionState.RESUBSCRIBED);
        assertThat(ha.client().uri()).isEqualTo(secondary.uri());
        Client pub = plain("ha-pub", secondary.uri());
        pub.publish("orders", "after failover");
        await().atMost(WAIT).until(() -> got.contains("after failover"));
    }

    @Test
    void shouldReplayPublishesMadeWhileDisconnected() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", primary.port())) {
            Client watcher = plain("ha-watcher", primary.uri());
            MessageStream seen = closing(watcher.subscribe("replayed"));
            HAClient ha = closing(builder("ha-replay").servers(proxy.uri()).build());
            ha.connectAndLogon();
            proxy.refuse();
            proxy.cut();
            await().atMost(WAIT).until(() -> !ha.isLoggedOn());
            long seq = ha.publish("replayed", "kept while down");
            assertThat(seq).isPositive();
            assertThat(ha.publishStore().unpersistedCount()).isEqualTo(1);
            proxy.restore();
            await().atMost(WAIT).until(ha::isLoggedOn);
            assertThat(seen.poll(WAIT).dataAsString()).isEqualTo("kept while down");
            ha.publishFlush(WAIT);
            assertThat(ha.publishStore().unpersistedCount()).isZero();
        }
    }

    @Test
    void shouldEnterSubscriptionMadeWhileDisconnectedAfterReconnect() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", primary.port())) {
            HAClient ha = closing(builder("ha-late-sub").servers(proxy.uri()).build());
            ha.connectAndLogon();
            proxy.refuse();
            proxy.cut();
            await().atMost(WAIT).until(() -> !ha.isLoggedOn());
            List<String> got = new CopyOnWriteArrayList<>();
            CommandId id = ha.subscribe(m -> got.add(m.dataAsString()), "late", null, WAIT);
            assertThat(id.value()).startsWith("ha-late-sub-ha-");
            proxy.restore();
            await().atMost(WAIT).until(ha::isLoggedOn);
            Client pub = plain("ha-late-pub", primary.uri());
            await().atMost(WAIT).untilAsserted(() -> {
                pub.publish("late", "hello");
                pub.flush(WAIT);
                assertThat(got).contains("hello");
            });
        }
    }

    @Test
    void shouldGiveUpWithReconnectMaximumExceededAfterMaxRetryTime() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HAClient ha = closing(builder("ha-give-up").servers("tcp://127.0.0.1:" + port + "/amps/json")
                .maxRetryTime(Duration.ofMillis(300)).build());
        assertThatThrownBy(ha::connectAndLogon).isInstanceOf(ReconnectMaximumExceededException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).isNotEmpty()
                        .allSatisfy(s -> assertThat(s).isInstanceOf(ConnectionRefusedException.class)));
    }

    @Test
    void shouldStopReconnectingWhenClosed() {
        HAClient ha = closing(builder("ha-closed").servers(primary.uri()).build());
        RecordingConnectionListener states = new RecordingConnectionListener();
        ha.addConnectionStateListener(states);
        ha.connectAndLogon();
        primary.stop();
        await().atMost(WAIT).until(() -> !ha.isLoggedOn());
        ha.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(states.states()).endsWith(ConnectionState.SHUTDOWN));
    }
}
