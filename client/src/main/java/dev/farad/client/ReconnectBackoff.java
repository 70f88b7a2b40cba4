package dev.farad.client;

import java.time.Duration;

/**
 * How long an {@link HAClient} waits before each connection attempt.
 *
 * <p>Called on the thread that connects; implementations must be thread-safe.
 */
@FunctionalInterface
public interface ReconnectBackoff {
    /**
     * The wait before attempt {@code attempt} of a run of attempts (1 for the first; the run starts
     * again after a success).
     */
    Duration delayBefore(int attempt);

    /** No wait before the first attempt, then {@code delay} before each later one. */
    static ReconnectBackoff fixed(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0 but was " + delay);
        }
        return attempt -> attempt <= 1 ? Duration.ZERO : delay;
    }
}
