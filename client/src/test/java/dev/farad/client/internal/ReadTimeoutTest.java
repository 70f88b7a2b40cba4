package dev.farad.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The heartbeat read-timeout rule, on a fake clock. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReadTimeoutTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void shouldExpireOnlyAfterTimeoutOfSilence() {
        ReadTimeout rule = new ReadTimeout(now::get, Duration.ofSeconds(10));
        advance(Duration.ofMillis(9_999));
        assertThat(rule.expiredSilence()).isNull();
        advance(Duration.ofMillis(1));
        assertThat(rule.expiredSilence()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldRestartSilenceOnEveryRead() {
        ReadTimeout rule = new ReadTimeout(now::get, Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            advance(Duration.ofMillis(1_500));
            rule.onRead();
        }
        assertThat(rule.expiredSilence()).isNull();
        advance(Duration.ofSeconds(3));
        assertThat(rule.expiredSilence()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldCheckFourTimesPerTimeoutButNotMoreOftenThanEveryTenMillis() {
        assertThat(new ReadTimeout(now::get, Duration.ofSeconds(4)).checkPeriodNs())
                .isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(new ReadTimeout(now::get, Duration.ofMillis(20)).checkPeriodNs())
                .isEqualTo(Duration.ofMillis(10).toNanos());
    }
}
