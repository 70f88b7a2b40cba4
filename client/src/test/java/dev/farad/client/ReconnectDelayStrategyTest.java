package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.client.exceptions.ConnectionRefusedException;
import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.ReconnectMaximumExceededException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delay strategies and the default server chooser, on a fake clock. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReconnectDelayStrategyTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private ExponentialDelayStrategy.Builder exponential() {
        return ExponentialDelayStrategy.builder().nanoClock(now::get).random(() -> 0.5);
    }

    @Test
    void shouldTryEachNewUriImmediatelyThenBackOffExponentiallyUpToMax() {
        ExponentialDelayStrategy s = exponential().jitter(Duration.ZERO).build();
        assertThat(s.delayBefore("a")).isZero();
        assertThat(s.delayBefore("b")).isZero();
        assertThat(s.delayBefore("a")).isEqualTo(Duration.ofMillis(200));
        assertThat(s.delayBefore("b")).isEqualTo(Duration.ofMillis(400));
        assertThat(s.delayBefore("a")).isEqualTo(Duration.ofMillis(800));
        for (int i = 0; i < 10; i++) {
            s.delayBefore("a");
        }
        assertThat(s.delayBefore("a")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void shouldAddJitterWithinBound() {
        ExponentialDelayStrategy half = exponential().build();
        half.delayBefore("a");
        assertThat(half.delayBefore("a")).isEqualTo(Duration.ofMillis(300));
        ExponentialDelayStrategy none = ExponentialDelayStrategy.builder().nanoClock(now::get).random(() -> 0.0).build();
        none.delayBefore("a");
        ExponentialDelayStrategy most = ExponentialDelayStrategy.builder().nanoClock(now::get).random(() -> 0.999).build();
        most.delayBefore("a");
        assertThat(none.delayBefore("a")).isEqualTo(Duration.ofMillis(200));
        assertThat(most.delayBefore("a")).isBetween(Duration.ofMillis(399), Duration.ofMillis(400));
    }

    @Test
    void shouldSpreadRealJitterAcrossClients() {
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> {
            ExponentialDelayStrategy s = ExponentialDelayStrategy.builder().build();
            s.delayBefore("a");
            return s.delayBefore("a");
        }).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void shouldGiveUpAfterMaxRetryTime() {
        ExponentialDelayStrategy s = exponential().maxRetryTime(Duration.ofSeconds(1)).jitter(Duration.ZERO).build();
        assertThat(s.delayBefore("a")).isZero();
        now.addAndGet(Duration.ofMillis(900).toNanos());
        assertThat(s.delayBefore("a")).as("clipped to the deadline").isEqualTo(Duration.ofMillis(100));
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThatThrownBy(() -> s.delayBefore("a")).isInstanceOf(ReconnectMaximumExceededException.class)
                .hasMessageContaining("maxRetryTime PT1S");
    }

    @Test
    void shouldStartAfreshAfterReset() {
        ExponentialDelayStrategy s = exponential().maxRetryTime(Duration.ofSeconds(1)).jitter(Duration.ZERO).build();
        s.delayBefore("a");
        s.delayBefore("a");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        s.reset();
        assertThat(s.delayBefore("a")).isZero();
        assertThat(s.delayBefore("a")).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void shouldWaitFixedDelayForRepeats() {
        FixedDelayStrategy s = new FixedDelayStrategy(Duration.ofMillis(50), Duration.ZERO, now::get);
        assertThat(s.delayBefore("a")).isZero();
        assertThat(s.delayBefore("a")).isEqualTo(Duration.ofMillis(50));
        assertThat(s.delayBefore("a")).isEqualTo(Duration.ofMillis(50));
        assertThat(s.delayBefore("b")).isZero();
    }

    @Test
    void shouldValidateSettings() {
        assertThatThrownBy(() -> ExponentialDelayStrategy.builder().multiplier(0.5).build())
                .hasMessageContaining("multiplier must be >= 1");
        assertThatThrownBy(() -> ExponentialDelayStrategy.builder().maxDelay(Duration.ofMillis(1)).build())
                .hasMessageContaining("maxDelay must be >= initialDelay");
        assertThatThrownBy(() -> new FixedDelayStrategy(Duration.ofMillis(-1), Duration.ZERO))
                .hasMessageContaining("delay must be >= 0");
    }

    @Test
    void shouldRoundRobinOnFailureButStayOnDisconnect() {
        DefaultServerChooser c = new DefaultServerChooser("a", "b", "c");
        assertThat(c.currentUri()).isEqualTo("a");
        c.reportFailure(new ConnectionRefusedException("refused", null, null), "a");
        assertThat(c.currentUri()).isEqualTo("b");
        c.reportFailure(new DisconnectedException("dropped", null, null), "b");
        assertThat(c.currentUri()).isEqualTo("b");
        c.reportFailure(new ConnectionRefusedException("refused", null, null), "b");
        c.reportFailure(new ConnectionRefusedException("refused", null, null), "c");
        assertThat(c.currentUri()).isEqualTo("a");
        c.reportSuccess("a");
        assertThat(c.currentUri()).isEqualTo("a");
        assertThat(new DefaultServerChooser().currentUri()).isNull();
    }
}
