package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.TimedOutException;
import dev.farad.client.exceptions.UsageException;
import dev.farad.protocol.Header;
import dev.farad.testsupport.BrokerExtension;
import dev.farad.testsupport.FaultProxy;
import dev.farad.testsupport.ScriptedBroker;
import dev.farad.testsupport.ScriptedBroker.Fault;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Heartbeats: start, answering beats, detecting a silent link, and a slow handler. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeartbeatTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final BrokerExtension realBroker = new BrokerExtension();

    private final ScriptedBroker broker = ScriptedBroker.start();
    private final Client client = new Client("beats");

    @AfterEach
    void close() {
        client.close();
        broker.close();
    }

    @Test
    void shouldSendStartAfterLogonAndReportHeartbeatInitiated() {
        RecordingConnectionListener states = new RecordingConnectionListener();
        client.addConnectionStateListener(states);
        client.setHeartbeat(Duration.ofSeconds(10));
        client.connect(broker.uri());
        client.logon(WAIT);
        Header start = broker.takeCommand("heartbeat", WAIT).header();
        assertThat(start.options()).isEqualTo("start,10");
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON,
                ConnectionState.HEARTBEAT_INITIATED);
    }

    @Test
    void shouldStartHeartbeatAtOnceWhenSetWhileLoggedOn() {
        RecordingConnectionListener states = new RecordingConnectionListener();
        client.addConnectionStateListener(states);
        client.connect(broker.uri());
        client.logon(WAIT);
        client.setHeartbeat(Duration.ofMillis(1500));
        assertThat(broker.takeCommand("heartbeat", WAIT).header().options()).isEqualTo("start,2");
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON,
                ConnectionState.HEARTBEAT_INITIATED);
    }

    @Test
    void shouldAnswerBrokerHeartbeatWithBeat() {
        client.setHeartbeat(Duration.ofSeconds(30));
        client.connect(broker.uri());
        client.logon(WAIT);
        assertThat(broker.takeCommand("heartbeat", WAIT).header().options()).startsWith("start,");
        broker.sendToAll(new Header().command(dev.farad.protocol.Command.HEARTBEAT), null);
        assertThat(broker.takeCommand("heartbeat", WAIT).header().options()).isEqualTo("beat");
    }

    @Test
    void shouldSendBeatsOnOwnTimer() {
        client.setHeartbeat(Duration.ofMillis(100), Duration.ofSeconds(30));
        client.connect(broker.uri());
        client.logon(WAIT);
        assertThat(broker.takeCommand("heartbeat", WAIT).header().options()).startsWith("start,");
        assertThat(broker.takeCommand("heartbeat", WAIT).header().options()).isEqualTo("beat");
    }

    @Test
    void shouldRouteBrokerHeartbeatToLastChanceWhenHeartbeatingIsOff() {
        List<Message> lastChance = new CopyOnWriteArrayList<>();
        client.setLastChanceMessageHandler(lastChance::add);
        client.connect(broker.uri());
        client.logon(WAIT);
        broker.sendToAll(new Header().command(dev.farad.protocol.Command.HEARTBEAT), null);
        await().atMost(WAIT).until(() -> lastChance.size() == 1);
        assertThat(lastChance.get(0).command()).isEqualTo("heartbeat");
    }

    @Test
    void shouldRejectReadTimeoutBelowInterval() {
        assertThatThrownBy(() -> client.setHeartbeat(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(UsageException.class).hasMessageContaining("readTimeout");
    }

    @Test
    void shouldDeclareConnectionDeadWhenBrokerDropsHeartbeats() {
        broker.nextConnectionFaults(Fault.DROP_HEARTBEATS);
        CompletableFuture<String> handlerThread = new CompletableFuture<>();
        client.setDisconnectHandler(c -> handlerThread.complete(Thread.currentThread().getName()));
        List<Throwable> absorbed = new CopyOnWriteArrayList<>();
        client.setExceptionListener(absorbed::add);
        client.setHeartbeat(Duration.ofMillis(100), Duration.ofMillis(300));
        client.connect(broker.uri());
        client.logon(WAIT);
        assertThat(handlerThread).succeedsWithin(WAIT).asString().startsWith("farad-client-io-");
        await().atMost(WAIT).until(() -> !absorbed.isEmpty());
        assertThat(absorbed.get(0)).hasRootCauseInstanceOf(TimedOutException.class)
                .hasStackTraceContaining("heartbeat");
    }

    @Test
    @Tag("slow")
    void shouldDeclareConnectionDeadWhenLinkIsBlackholed() {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", realBroker.port())) {
            CompletableFuture<String> handlerThread = new CompletableFuture<>();
            client.setDisconnectHandler(c -> handlerThread.complete(Thread.currentThread().getName()));
            client.setHeartbeat(Duration.ofSeconds(1), Duration.ofMillis(1500));
            client.connect(proxy.uri());
            client.logon(WAIT);
            proxy.blackhole();
            assertThat(handlerThread).succeedsWithin(WAIT).asString().startsWith("farad-client-io-");
            assertThat(client.isConnected()).isFalse();
        }
    }

    @Test
    @Tag("slow")
    void shouldKeepConnectionWhileHandlerBlocksLongerThanTwoHeartbeatIntervals() throws Exception {
        AtomicInteger disconnects = new AtomicInteger();
        client.setDisconnectHandler(c -> disconnects.incrementAndGet());
        // The broker drops a client silent for 2 s; the client's own read timeout is not under test.
        client.setHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(10));
        client.connect(realBroker.uri());
        client.logon(WAIT);
        CountDownLatch neverReleased = new CountDownLatch(1);
        List<String> got = new CopyOnWriteArrayList<>();
        client.subscribe(m -> {
            got.add(m.dataAsString());
            if (got.size() == 1) {
                try {
                    // Blocks the dispatch thread for 2.5 heartbeat intervals.
                    assertThat(neverReleased.await(2500, TimeUnit.MILLISECONDS)).isFalse();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "slow", null, WAIT);
        client.publish("slow", "first");
        client.publish("slow", "second");
        await().atMost(WAIT).until(() -> got.size() == 2);
        assertThat(disconnects).hasValue(0);
        assertThat(client.isLoggedOn()).isTrue();
    }
}
