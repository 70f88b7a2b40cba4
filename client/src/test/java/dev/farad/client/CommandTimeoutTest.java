package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.client.exceptions.TimedOutException;
import dev.farad.testsupport.ScriptedBroker;
import dev.farad.testsupport.ScriptedBroker.Fault;
import dev.farad.testsupport.ScriptedBroker.Received;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Commands whose acknowledgement does not come in time (a broker that swallows them). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration SHORT = Duration.ofMillis(200);

    private final ScriptedBroker broker = ScriptedBroker.start();
    private final Client client = new Client("timeouts");

    @BeforeEach
    void logOnToStallingBroker() {
        broker.nextConnectionFaults(Fault.STALL);
        client.connect(broker.uri());
        client.logon(WAIT);
    }

    @AfterEach
    void close() {
        client.close();
        broker.close();
    }

    @Test
    void shouldSendUnsubscribeAndThrowTimedOutWhenSubscribeAckDoesNotCome() {
        assertThatThrownBy(() -> client.subscribe(m -> { }, "swallowed", null, SHORT))
                .isInstanceOf(TimedOutException.class)
                .hasMessageContaining("subscribe").hasMessageContaining("'swallowed'");
        Received subscribe = broker.takeCommand("subscribe", WAIT);
        Received unsubscribe = broker.takeCommand("unsubscribe", WAIT);
        assertThat(unsubscribe).isNotNull();
        assertThat(unsubscribe.header().subId()).isEqualTo(subscribe.header().subId());
    }

    @Test
    void shouldSendUnsubscribeWhenStreamSubscribeTimesOut() {
        assertThatThrownBy(() -> client.execute(new Command("subscribe").topic("s").subId("mine").timeout(SHORT)))
                .isInstanceOf(TimedOutException.class);
        assertThat(broker.takeCommand("unsubscribe", WAIT).header().subId()).isEqualTo("mine");
    }

    @Test
    void shouldFailFutureWithTimedOutAndSendUnsubscribe() {
        CompletableFuture<CommandId> f = client.executeFuture(
                new Command("subscribe").topic("f").subId("later").timeout(SHORT), m -> { });
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimedOutException.class);
        assertThat(broker.takeCommand("unsubscribe", WAIT).header().subId()).isEqualTo("later");
    }

    @Test
    void shouldThrowTimedOutWaitingForFlush() {
        assertThatThrownBy(() -> client.flush(SHORT)).isInstanceOf(TimedOutException.class)
                .hasMessageContaining("timed out waiting for flush");
    }

    @Test
    void shouldThrowTimedOutWhenPublishFlushWaitsForPersistedAcksThatNeverCome() {
        Client stored = new Client("stored-timeouts");
        try {
            stored.setPublishStore(new MemoryPublishStore());
            broker.nextConnectionFaults(Fault.STALL);
            stored.connect(broker.uri());
            stored.logon(WAIT);
            stored.publish("t", "never persisted");
            assertThatThrownBy(() -> stored.publishFlush(SHORT)).isInstanceOf(TimedOutException.class);
            assertThat(stored.publishStore().unpersistedCount()).isEqualTo(1);
        } finally {
            stored.close();
        }
    }

    @Test
    void shouldStayUsableAfterTimeout() {
        assertThatThrownBy(() -> client.flush(SHORT)).isInstanceOf(TimedOutException.class);
        client.publish("still", "works");
        assertThat(broker.takeCommand("p", WAIT).header().topic()).isEqualTo("still");
        assertThat(client.isLoggedOn()).isTrue();
    }
}
