package dev.farad.client;

import static dev.farad.client.HATestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.testsupport.ScriptedBroker;
import dev.farad.testsupport.ScriptedBroker.Fault;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failure acks for stored writes: handed over with the stored message, except harmless replay duplicates. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HAFailedWriteTest {
    private final HATestSupport t = new HATestSupport();
    private final ScriptedBroker scripted = ScriptedBroker.start();

    @AfterEach
    void close() {
        t.close();
        scripted.close();
    }

    @Test
    void shouldHandAFailedPublishToTheFailedWriteHandlerWithTheStoredMessage() {
        HAClient c = t.ha("fails-write", scripted.uri());
        c.setPublishStore(new MemoryPublishStore());
        List<FailedWrite> failed = new CopyOnWriteArrayList<>();
        c.setFailedWriteHandler(failed::add);
        c.connectAndLogon();
        scripted.failNext("p", "duplicate");
        long seq = c.publish("orders", "x");
        await().atMost(WAIT).until(() -> failed.size() == 1);
        FailedWrite f = failed.get(0);
        assertThat(f.sequence()).isEqualTo(seq);
        assertThat(f.reason()).isEqualTo("duplicate");
        assertThat(f.topic()).isEqualTo("orders");
        assertThat(new String(f.data(), StandardCharsets.UTF_8)).isEqualTo("x");
        assertThat(c.publishStore().unpersistedCount()).isZero();
    }

    @Test
    void shouldTreatADuplicateOfAReplayedWriteAsPersisted() {
        HAClient c = t.ha("replays", scripted.uri());
        c.setPublishStore(new MemoryPublishStore());
        List<FailedWrite> failed = new CopyOnWriteArrayList<>();
        c.setFailedWriteHandler(failed::add);
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        scripted.injectFaults(Fault.STALL);
        c.publish("orders", "in flight");
        assertThat(scripted.takeCommand("p", WAIT)).isNotNull();
        assertThat(c.publishStore().unpersistedCount()).isEqualTo(1);
        scripted.failNext("p", "duplicate");
        scripted.closeConnections();
        states.awaitStates(WAIT, ConnectionState.CONNECTED, ConnectionState.LOGGED_ON, ConnectionState.PUBLISH_REPLAYED,
                ConnectionState.RESUBSCRIBED, ConnectionState.DISCONNECTED, ConnectionState.CONNECTED,
                ConnectionState.LOGGED_ON, ConnectionState.PUBLISH_REPLAYED, ConnectionState.RESUBSCRIBED);
        await().atMost(WAIT).until(() -> c.publishStore().unpersistedCount() == 0);
        assertThat(failed).isEmpty();
    }
}
