package dev.farad.client;

import static dev.farad.client.ConnectionState.CONNECTED;
import static dev.farad.client.ConnectionState.DISCONNECTED;
import static dev.farad.client.ConnectionState.HEARTBEAT_INITIATED;
import static dev.farad.client.ConnectionState.LOGGED_ON;
import static dev.farad.client.ConnectionState.PUBLISH_REPLAYED;
import static dev.farad.client.ConnectionState.RESUBSCRIBED;
import static dev.farad.client.ConnectionState.SHUTDOWN;
import static dev.farad.client.HATestSupport.WAIT;

import dev.farad.testsupport.BrokerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each configuration of the seed chapter's Table 5.2 ("Sequence of states for connection"), then
 * close; for the HA client the reconnect sequence too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionStatesTableTest {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private final HATestSupport t = new HATestSupport();

    @AfterEach
    void close() {
        t.close();
    }

    private RecordingConnectionListener connect(boolean publishStore, boolean heartbeat) {
        HAClient c = t.ha("table", broker.uri());
        if (publishStore) {
            c.setPublishStore(new MemoryPublishStore());
        }
        if (heartbeat) {
            c.setHeartbeat(Duration.ofSeconds(1));
        }
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connectAndLogon();
        return states;
    }

    private void closeAll(RecordingConnectionListener states, ConnectionState... before) {
        t.close();
        ConnectionState[] all = java.util.Arrays.copyOf(before, before.length + 2);
        all[before.length] = DISCONNECTED;
        all[before.length + 1] = SHUTDOWN;
        states.awaitStates(WAIT, all);
    }

    @Test
    void subscriptionManagerAndPublishStore() {
        RecordingConnectionListener states = connect(true, false);
        states.awaitStates(CONNECTED, LOGGED_ON, PUBLISH_REPLAYED, RESUBSCRIBED);
        closeAll(states, CONNECTED, LOGGED_ON, PUBLISH_REPLAYED, RESUBSCRIBED);
    }

    @Test
    void subscriptionManagerPublishStoreAndHeartbeat() {
        RecordingConnectionListener states = connect(true, true);
        states.awaitStates(CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, PUBLISH_REPLAYED, RESUBSCRIBED);
        closeAll(states, CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, PUBLISH_REPLAYED, RESUBSCRIBED);
    }

    @Test
    void subscriptionManager() {
        RecordingConnectionListener states = connect(false, false);
        states.awaitStates(CONNECTED, LOGGED_ON, RESUBSCRIBED);
        closeAll(states, CONNECTED, LOGGED_ON, RESUBSCRIBED);
    }

    @Test
    void subscriptionManagerAndHeartbeat() {
        RecordingConnectionListener states = connect(false, true);
        states.awaitStates(CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, RESUBSCRIBED);
        closeAll(states, CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, RESUBSCRIBED);
    }

    @Test
    void defaultClientConfiguration() {
        Client c = t.track(new Client("table-plain"));
        RecordingConnectionListener states = new RecordingConnectionListener();
        c.addConnectionStateListener(states);
        c.connect(broker.uri());
        c.logon(WAIT);
        states.awaitStates(CONNECTED, LOGGED_ON);
        closeAll(states, CONNECTED, LOGGED_ON);
    }

    @Test
    void haClientRepeatsTheRecoverySequenceAfterALoss() {
        RecordingConnectionListener states = connect(true, true);
        states.awaitStates(CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, PUBLISH_REPLAYED, RESUBSCRIBED);
        broker.restart();
        states.awaitStates(WAIT, CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, PUBLISH_REPLAYED, RESUBSCRIBED,
                DISCONNECTED, CONNECTED, LOGGED_ON, HEARTBEAT_INITIATED, PUBLISH_REPLAYED, RESUBSCRIBED);
    }
}
