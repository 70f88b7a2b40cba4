package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HA plug points' defaults: backoffs, server chooser, memory store and manager. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BackoffAndStoresTest {

    @Test
    void shouldDoubleExponentialBackoffUpToMaxWithFirstAttemptImmediate() {
        ExponentialBackoff b = new ExponentialBackoff(Duration.ofMillis(100), Duration.ofMillis(500), 2.0);
        assertThat(b.delayBefore(1)).isZero();
        assertThat(b.delayBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.delayBefore(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delayBefore(4)).isEqualTo(Duration.ofMillis(400));
        assertThat(b.delayBefore(5)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delayBefore(100)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shouldRejectInvalidBackoffNamingTheField() {
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ZERO, Duration.ofSeconds(1), 2))
                .hasMessageContaining("initial must be > 0");
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .hasMessageContaining("max must be >= initial");
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5))
                .hasMessageContaining("multiplier must be >= 1");
    }

    @Test
    void shouldWaitFixedDelayExceptBeforeFirstAttempt() {
        ReconnectBackoff b = ReconnectBackoff.fixed(Duration.ofMillis(50));
        assertThat(b.delayBefore(1)).isZero();
        assertThat(b.delayBefore(7)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void shouldMoveToNextServerOnlyAfterFailure() {
        DefaultServerChooser c = new DefaultServerChooser(List.of("a", "b"));
        assertThat(c.currentUri()).isEqualTo("a");
        c.reportSuccess("a");
        assertThat(c.currentUri()).isEqualTo("a");
        c.reportFailure("a", new RuntimeException());
        assertThat(c.currentUri()).isEqualTo("b");
        c.reportFailure("b", new RuntimeException());
        assertThat(c.currentUri()).isEqualTo("a");
    }

    @Test
    void shouldAssignIncreasingSequencesAndDiscardUpTo() throws Exception {
        MemoryPublishStore s = new MemoryPublishStore();
        long a = s.store(new StoredPublish(0, "publish", "t", new byte[] {1}, null, null, -1));
        long b = s.store(new StoredPublish(0, "publish", "t", new byte[] {2}, null, null, -1));
        assertThat(b).isGreaterThan(a);
        assertThat(s.get(b).data()).containsExactly(2);
        s.discardUpTo(a);
        assertThat(s.unpersistedCount()).isEqualTo(1);
        List<Long> replayed = new ArrayList<>();
        s.replay(p -> replayed.add(p.sequence()));
        assertThat(replayed).containsExactly(b);
        assertThat(s.awaitPersisted(Duration.ofMillis(10))).isFalse();
        s.discardUpTo(b);
        assertThat(s.awaitPersisted(Duration.ofMillis(10))).isTrue();
    }

    @Test
    void shouldContinueSequencesAboveDiscardedOnes() {
        MemoryPublishStore s = new MemoryPublishStore();
        s.discardUpTo(41);
        assertThat(s.store(new StoredPublish(0, "publish", "t", new byte[0], null, null, -1))).isEqualTo(42);
    }

    @Test
    void shouldKeySubscriptionsBySubId() {
        MemorySubscriptionManager m = new MemorySubscriptionManager();
        MessageHandler h = msg -> { };
        m.subscribe(h, new Command("subscribe").topic("a").subId("1"));
        m.subscribe(h, new Command("subscribe").topic("b").subId("1"));
        m.subscribe(h, new Command("subscribe").topic("c").subId("2"));
        assertThat(m.size()).isEqualTo(2);
        m.unsubscribe(new CommandId("1"));
        assertThat(m.size()).isEqualTo(1);
        m.clear();
        assertThat(m.size()).isZero();
    }
}
