package dev.farad.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Waits the same delay before every repeated attempt; the first attempt on a URI not yet tried is
 * immediate. Gives up after {@code maxRetryTime} (zero: never).
 *
 * <pre>{@code
 * client.setReconnectDelayStrategy(new FixedDelayStrategy(Duration.ofMillis(500), Duration.ofMinutes(1)));
 * }</pre>
 *
 * <p>Not thread-safe: one client's connect loop uses it.
 */
public final class FixedDelayStrategy extends BaseDelayStrategy {
    private final long delayNs;

    /** 200 ms between repeats, never giving up. */
    public FixedDelayStrategy() {
        this(Duration.ofMillis(200), Duration.ZERO);
    }

    /**
     * @param delay the pause before each repeated attempt
     * @param maxRetryTime how long to keep trying from the first attempt; zero: forever
     */
    public FixedDelayStrategy(Duration delay, Duration maxRetryTime) {
        this(delay, maxRetryTime, System::nanoTime);
    }

    FixedDelayStrategy(Duration delay, Duration maxRetryTime, LongSupplier nanoClock) {
        super(maxRetryTime, nanoClock);
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0 but was " + delay);
        }
        this.delayNs = delay.toNanos();
    }

    @Override
    long repeatDelayNanos(int repeat) {
        return delayNs;
    }
}
