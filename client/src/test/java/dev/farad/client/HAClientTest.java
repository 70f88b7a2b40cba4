package dev.farad.client;

import static dev.farad.client.ConnectionState.CONNECTED;
import static dev.farad.client.ConnectionState.DISCONNECTED;
import static dev.farad.client.ConnectionState.LOGGED_ON;
import static dev.farad.client.ConnectionState.PUBLISH_REPLAYED;
import static dev.farad.client.ConnectionState.RESUBSCRIBED;
import static dev.farad.client.ConnectionState.SHUTDOWN;
import static dev.farad.client.HATestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.AlreadyConnectedException;
import dev.farad.client.exceptions.AuthenticationException;
import dev.farad.client.exceptions.BadFilterException;
import dev.farad.client.exceptions.ConnectionException;
import dev.farad.client.exceptions.FaradException;
import dev.farad.client.exceptions.ReconnectMaximumExceededException;
import dev.farad.client.exceptions.UsageException;
import dev.farad.testsupport.BrokerExtension;
import dev.farad.testsupport.ScriptedBroker;
import dev.farad.testsupport.ScriptedBroker.Fault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HAClient: connect loop, reconnect, resubscribe, failover, giving up. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HAClientTest {
    @RegisterExtension
    final BrokerExtension primary = new BrokerExtension();

    private final HATestSupport t = new HATestSupport();
    private final ScriptedBroker scripted = ScriptedBroker.start();

    @AfterEach
    void close() {
        t.close();
        scripted.close();
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldRejectPlainLogon() {
        HAClient c = t.ha("plain-logon", primary.uri());
        assertThatThrownBy(c::logon).isInstanceOf(UsageException.class).hasMessageContaining("connectAndLogon");
        assertThatThrownBy(() -> c.logon(WAIT)).isInstanceOf(UsageException.class);
    }

    @Test
    void shouldRequireAServerChooser() {
        HAClient c = t.track(new HAClient("no-chooser"));
        assertThatThrownBy(c::connectAndLogon).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("no server chooser");
        c.setServerChooser(new DefaultServerChooser());
        assertThatThrownBy(c::connectAndLogon).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("no servers available");
    }

    @Test
    void shouldGiveUpAfterMaxRetryTimeWithShutdown() {
        String dead = "tcp://127.0.0.1:" + freePort() + "/amps/json";
        HAClient c = t.ha("gives-up", dead);
        AtomicLong clock = new AtomicLong();
        List<Duration> slept = new CopyOnWriteArrayList<>();
        c.setReconnectDelayStrategy(ExponentialDelayStrategy.builder().nanoClock(clock::get).random(() -> 0)
                .maxRetryTime(Duration.ofSeconds(5)).build());
        c.setSleeper(d -> {
            slept.add(d);
            clock.addAndGet(d.toNanos());
        });
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        assertThatThrownBy(c::connectAndLogon).isInstanceOf(ReconnectMaximumExceededException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        assertThat(slept).containsExactly(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(2000));
        states.awaitStates(SHUTDOWN);
    }

    @Test
    void shouldReconnectAndResubscribeAfterBrokerRestart() {
        HAClient c = t.ha("restarts", primary.uri());
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        assertThatThrownBy(c::connectAndLogon).isInstanceOf(AlreadyConnectedException.class);
        List<String> got = new CopyOnWriteArrayList<>();
        CommandId sub = c.subscribe(m -> got.add(m.dataAsString()), "orders", null, WAIT);
        primary.restart();
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, RESUBSCRIBED, DISCONNECTED, CONNECTED, LOGGED_ON, RESUBSCRIBED);
        Client publisher = t.client("pub", primary.uri());
        publisher.publish("orders", "after restart");
        await().atMost(WAIT).untilAsserted(() -> assertThat(got).containsExactly("after restart"));
        assertThat(((MemorySubscriptionManager) c.subscriptionManager()).subscriptionIds()).containsExactly(sub);
        c.unsubscribe(sub);
        assertThat(((MemorySubscriptionManager) c.subscriptionManager()).subscriptionIds()).isEmpty();
    }

    @Test
    void shouldHandRefusedResubscriptionToTheHandler() {
        HAClient c = t.ha("refused", scripted.uri());
        List<FailedResubscribe> refused = new CopyOnWriteArrayList<>();
        c.setFailedResubscribeHandler(f -> {
            refused.add(f);
            return false;
        });
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        CommandId sub = c.subscribe(m -> { }, "orders", "/qty > 1", WAIT);
        scripted.nextConnectionFaults(Fault.REJECT_SUBSCRIBE);
        scripted.closeConnections();
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, RESUBSCRIBED, DISCONNECTED, CONNECTED, LOGGED_ON, RESUBSCRIBED);
        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).subId()).isEqualTo(sub);
        assertThat(refused.get(0).command().filter()).isEqualTo("/qty > 1");
        assertThat(refused.get(0).failure()).isInstanceOf(BadFilterException.class);
        assertThat(((MemorySubscriptionManager) c.subscriptionManager()).subscriptionIds()).isEmpty();
    }

    @Test
    void shouldKeepRefusedResubscriptionAndReportItWithoutAHandler() {
        HAClient c = t.ha("refused-kept", scripted.uri());
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        CommandId sub = c.subscribe(m -> { }, "orders", null, WAIT);
        scripted.nextConnectionFaults(Fault.REJECT_SUBSCRIBE);
        scripted.closeConnections();
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, RESUBSCRIBED, DISCONNECTED, CONNECTED, LOGGED_ON, RESUBSCRIBED);
        assertThat(t.absorbed).anySatisfy(e -> assertThat(e).isInstanceOf(BadFilterException.class));
        assertThat(((MemorySubscriptionManager) c.subscriptionManager()).subscriptionIds()).containsExactly(sub);
        states.clear();
        scripted.closeConnections();
        states.awaitStates(WAIT, DISCONNECTED, CONNECTED, LOGGED_ON, RESUBSCRIBED);
        assertThat(scripted.drainReceived()).anySatisfy(r -> assertThat(r.header().subId()).isEqualTo(sub.value()));
    }

    @Test
    void shouldPlaceASubscribeThatLostItsConnectionAfterReconnecting() {
        HAClient c = t.ha("absorbs", scripted.uri());
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        scripted.injectFaults(Fault.STALL);
        java.util.concurrent.CompletableFuture<CommandId> subscribing = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> c.subscribe(m -> { }, "orders", null, WAIT));
        ScriptedBroker.Received first = scripted.takeCommand("subscribe", WAIT);
        assertThat(first).isNotNull();
        scripted.closeConnections();
        assertThat(subscribing).succeedsWithin(WAIT).isEqualTo(new CommandId(first.header().subId()));
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, RESUBSCRIBED, DISCONNECTED, CONNECTED, LOGGED_ON, RESUBSCRIBED);
        ScriptedBroker.Received again = scripted.takeCommand("subscribe", WAIT);
        assertThat(again).isNotNull();
        assertThat(again.connection()).isGreaterThan(first.connection());
        assertThat(again.header().subId()).isEqualTo(first.header().subId());
    }

    @Test
    void shouldReportAuthenticationFailuresToTheChooserAndBackOff() {
        scripted.requirePassword("secret");
        HAClient c = t.ha("auth", scripted.uri());
        List<FaradException> reported = new CopyOnWriteArrayList<>();
        DefaultServerChooser inner = new DefaultServerChooser("tcp://u:wrong@127.0.0.1:" + scripted.port() + "/amps/json");
        c.setServerChooser(new ServerChooser() {
            @Override
            public String currentUri() {
                return inner.currentUri();
            }

            @Override
            public void reportFailure(FaradException failure, String uri) {
                reported.add(failure);
                if (reported.size() == 3) {
                    scripted.requirePassword(null);
                }
                inner.reportFailure(failure, uri);
            }

            @Override
            public void reportSuccess(String uri) {
                inner.reportSuccess(uri);
            }
        });
        List<Duration> slept = new CopyOnWriteArrayList<>();
        c.setReconnectDelayStrategy(ExponentialDelayStrategy.builder().random(() -> 0).build());
        c.setSleeper(slept::add);
        c.connectAndLogon();
        assertThat(reported).hasSize(3).allSatisfy(e -> assertThat(e).isInstanceOf(AuthenticationException.class));
        assertThat(slept).containsExactly(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800));
        assertThat(c.isLoggedOn()).isTrue();
    }

    @Test
    void shouldStopReconnectingWhenClosed() {
        HAClient c = t.ha("closes", primary.uri());
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        primary.stop();
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, RESUBSCRIBED, DISCONNECTED);
        c.close();
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, RESUBSCRIBED, DISCONNECTED, SHUTDOWN);
        primary.start();
        assertThat(c.isConnected()).isFalse();
    }
}
