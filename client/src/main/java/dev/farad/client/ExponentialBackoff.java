package dev.farad.client;

import java.time.Duration;
import java.util.Objects;

/**
 * No wait before the first attempt, then {@code initial}, doubling (by {@code multiplier}) up to
 * {@code max}. Without jitter, so that tests and operators can predict it.
 *
 * <p>Immutable; thread-safe.
 *
 * @param initial the wait before the second attempt; {@code > 0}
 * @param max the longest wait; {@code >= initial}
 * @param multiplier the growth per attempt; {@code >= 1}
 */
public record ExponentialBackoff(Duration initial, Duration max, double multiplier) implements ReconnectBackoff {
    /** 200 ms, doubling, at most 20 s. */
    public static final ExponentialBackoff DEFAULT = new ExponentialBackoff(Duration.ofMillis(200),
            Duration.ofSeconds(20), 2.0);

    public ExponentialBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be > 0 but was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be >= initial but was " + max + " < " + initial);
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be >= 1 but was " + multiplier);
        }
    }

    @Override
    public Duration delayBefore(int attempt) {
        if (attempt <= 1) {
            return Duration.ZERO;
        }
        double nanos = initial.toNanos() * Math.pow(multiplier, attempt - 2);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }
}
