package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.client.exceptions.FaradException;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Header;
import dev.farad.testsupport.BrokerExtension;
import dev.farad.testsupport.ScriptedBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Exception listener, last-chance handler, failed-write handler, store and manager hooks. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandlersTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final ScriptedBroker scripted = ScriptedBroker.start();
    private final Client client = new Client("handlers");
    private final List<Throwable> absorbed = new CopyOnWriteArrayList<>();
    private final List<Message> lastChance = new CopyOnWriteArrayList<>();
    private final List<FailedWrite> failedWrites = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        client.close();
        scripted.close();
    }

    private void logOn(String uri) {
        client.setExceptionListener(absorbed::add);
        client.setLastChanceMessageHandler(lastChance::add);
        client.connect(uri);
        client.logon(WAIT);
    }

    @Test
    void shouldPassHandlerExceptionToExceptionListenerWithStackTraceAndKeepDelivering() {
        logOn(broker.uri());
        List<String> got = new CopyOnWriteArrayList<>();
        client.subscribe(m -> {
            got.add(m.dataAsString());
            if (m.dataAsString().equals("boom")) {
                throw new IllegalStateException("in my handler");
            }
        }, "pokes", null, WAIT);
        client.publish("pokes", "boom");
        client.publish("pokes", "after");
        await().atMost(WAIT).until(() -> got.size() == 2);
        await().atMost(WAIT).until(() -> absorbed.size() == 1);
        assertThat(absorbed.get(0)).isInstanceOf(IllegalStateException.class).hasMessage("in my handler");
        assertThat(absorbed.get(0).getStackTrace()[0].getClassName()).contains("HandlersTest");
    }

    @Test
    void shouldPassListenerExceptionToExceptionListener() {
        client.addConnectionStateListener(e -> {
            throw new IllegalArgumentException("listener " + e.state());
        });
        logOn(broker.uri());
        await().atMost(WAIT).until(() -> absorbed.size() == 2);
        assertThat(absorbed).extracting(Throwable::getMessage).containsExactly("listener CONNECTED",
                "listener LOGGED_ON");
    }

    @Test
    void shouldRouteAckWithUnknownCommandIdToLastChanceHandler() {
        logOn(scripted.uri());
        scripted.sendToAll(new Header().command(dev.farad.protocol.Command.ACK).ackType(AckType.PROCESSED)
                .commandId("no-such-command").status("success"), null);
        await().atMost(WAIT).until(() -> lastChance.size() == 1);
        assertThat(lastChance.get(0).commandId()).isEqualTo("no-such-command");
    }

    @Test
    void shouldRouteLateDeliveryAfterUnsubscribeToLastChanceHandler() {
        logOn(scripted.uri());
        CommandId id = client.subscribe(m -> { }, "late", null, WAIT);
        client.unsubscribe(id);
        scripted.sendToAll(new Header().command(dev.farad.protocol.Command.PUBLISH).topic("late")
                .subId(id.value()), "in flight".getBytes());
        await().atMost(WAIT).until(() -> lastChance.size() == 1);
        assertThat(lastChance.get(0).dataAsString()).isEqualTo("in flight");
    }

    @Test
    void shouldRouteFailedWriteToFailedWriteHandlerWithSequenceAndReason() {
        client.setFailedWriteHandler(failedWrites::add);
        logOn(scripted.uri());
        scripted.sendToAll(new Header().command(dev.farad.protocol.Command.ACK).ackType(AckType.PERSISTED)
                .status("failure").reason("duplicate").sequence(3), null);
        await().atMost(WAIT).until(() -> failedWrites.size() == 1);
        FailedWrite fw = failedWrites.get(0);
        assertThat(fw.sequence()).isEqualTo(3);
        assertThat(fw.reason()).isEqualTo("duplicate");
        assertThat(fw.data()).isNull();
        assertThat(lastChance).isEmpty();
    }

    @Test
    void shouldRouteFailedWriteToLastChanceWithoutFailedWriteHandler() {
        logOn(scripted.uri());
        scripted.sendToAll(new Header().command(dev.farad.protocol.Command.ACK).ackType(AckType.PERSISTED)
                .status("failure").reason("duplicate").sequence(4), null);
        await().atMost(WAIT).until(() -> lastChance.size() == 1);
        assertThat(lastChance.get(0).reason()).isEqualTo("duplicate");
        assertThat(lastChance.get(0).sequence()).isEqualTo(4);
    }

    @Test
    void shouldRouteSowDeleteFailureToFailedWriteHandler() {
        client.setFailedWriteHandler(failedWrites::add);
        logOn(broker.uri());
        client.sowDelete("no-sow-here", "1=1");
        await().atMost(WAIT).until(() -> failedWrites.size() == 1);
        FailedWrite fw = failedWrites.get(0);
        assertThat(fw.command()).isEqualTo("sow_delete");
        assertThat(fw.topic()).isEqualTo("no-sow-here");
        assertThat(fw.reason()).startsWith("invalid topic");
    }

    @Test
    void shouldGiveFailedWriteHandlerTopicAndDataFromPublishStore() {
        MemoryPublishStore store = new MemoryPublishStore();
        client.setPublishStore(store);
        client.setFailedWriteHandler(failedWrites::add);
        logOn(broker.uri());
        long seq = client.publish("^pattern.*", "kept");
        assertThat(seq).isPositive();
        await().atMost(WAIT).until(() -> failedWrites.size() == 1);
        FailedWrite fw = failedWrites.get(0);
        assertThat(fw.sequence()).isEqualTo(seq);
        assertThat(fw.topic()).isEqualTo("^pattern.*");
        assertThat(new String(fw.data())).isEqualTo("kept");
        assertThat(fw.reason()).startsWith("invalid topic");
        await().atMost(WAIT).until(() -> store.unpersistedCount() == 0);
    }

    @Test
    void shouldDiscardPersistedPublishesFromStore() {
        MemoryPublishStore store = new MemoryPublishStore();
        client.setPublishStore(store);
        logOn(broker.uri());
        assertThat(client.publish("stored", "1")).isEqualTo(1);
        assertThat(client.publish("stored", "2")).isEqualTo(2);
        client.publishFlush(WAIT);
        assertThat(store.unpersistedCount()).isZero();
    }

    @Test
    void shouldReplayStoreAfterLogonAndReportPublishReplayedAfterHeartbeatInitiated() {
        MemoryPublishStore store = new MemoryPublishStore();
        long seq = store.store(new StoredPublish(0, "publish", "replayed", "r".getBytes(), null, null, -1));
        client.setPublishStore(store);
        client.setHeartbeat(Duration.ofSeconds(30));
        RecordingConnectionListener states = new RecordingConnectionListener();
        client.addConnectionStateListener(states);
        logOn(scripted.uri());
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON,
                ConnectionState.HEARTBEAT_INITIATED, ConnectionState.PUBLISH_REPLAYED);
        ScriptedBroker.Received replay = scripted.takeCommand("p", WAIT);
        assertThat(replay.header().sequence()).isEqualTo(seq);
        assertThat(replay.header().topic()).isEqualTo("replayed");
    }

    @Test
    void shouldLetSubscriptionManagerResubscribeAndReportResubscribedLast() {
        List<Command> managed = new CopyOnWriteArrayList<>();
        client.setSubscriptionManager(new SubscriptionManager() {
            @Override
            public void subscribe(MessageHandler handler, Command command) {
                managed.add(command);
            }

            @Override
            public void unsubscribe(CommandId subId) {
                managed.removeIf(c -> subId.value().equals(c.subId()));
            }

            @Override
            public void clear() {
                managed.clear();
            }

            @Override
            public void resubscribe(Client c) {
                for (Command cmd : managed) {
                    c.executeAsync(cmd, m -> { });
                }
            }
        });
        client.setPublishStore(new MemoryPublishStore());
        RecordingConnectionListener states = new RecordingConnectionListener();
        client.addConnectionStateListener(states);
        logOn(scripted.uri());
        states.awaitStates(ConnectionState.CONNECTED, ConnectionState.LOGGED_ON, ConnectionState.PUBLISH_REPLAYED,
                ConnectionState.RESUBSCRIBED);
        client.executeAsync(new Command("subscribe").topic("managed").subId("m1"), m -> { });
        assertThat(managed).extracting(Command::subId).containsExactly("m1");
        client.unsubscribe("m1");
        assertThat(managed).isEmpty();
    }

    @Test
    void shouldNotCountHandlerExceptionsAsClientFailures() {
        logOn(broker.uri());
        client.subscribe(m -> {
            throw new FaradException("handler says no", null, null);
        }, "x", null, WAIT);
        client.publish("x", "1");
        await().atMost(WAIT).until(() -> absorbed.size() == 1);
        assertThat(client.isLoggedOn()).isTrue();
    }
}
