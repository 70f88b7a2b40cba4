package dev.farad.client;

import dev.farad.client.exceptions.ReconnectMaximumExceededException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What the delay strategies share: the first attempt on a URI not tried since the last reset is
 * immediate, repeats wait {@link #repeatDelayNanos(int)}, and past the maximum retry time the
 * strategy gives up. Not thread-safe (one connect loop calls it).
 */
abstract class BaseDelayStrategy implements ReconnectDelayStrategy {
    private final long maxRetryTimeNs;
    private final LongSupplier nanoClock;
    private final Set<String> tried = new HashSet<>();
    private int repeats;
    private long firstAttemptNs;
    private boolean started;

    BaseDelayStrategy(Duration maxRetryTime, LongSupplier nanoClock) {
        Objects.requireNonNull(maxRetryTime, "maxRetryTime");
        if (maxRetryTime.isNegative()) {
            throw new IllegalArgumentException("maxRetryTime must be >= 0 but was " + maxRetryTime);
        }
        this.maxRetryTimeNs = maxRetryTime.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** The pause before the {@code repeat}-th repeated attempt (0-based) since the last reset. */
    abstract long repeatDelayNanos(int repeat);

    @Override
    public final Duration delayBefore(String uri) {
        long now = nanoClock.getAsLong();
        if (!started) {
            started = true;
            firstAttemptNs = now;
        }
        long elapsed = now - firstAttemptNs;
        if (maxRetryTimeNs > 0 && elapsed >= maxRetryTimeNs) {
            throw new ReconnectMaximumExceededException("gave up reconnecting after "
                    + Duration.ofNanos(elapsed) + " (maxRetryTime " + Duration.ofNanos(maxRetryTimeNs) + ")",
                    null, null);
        }
        if (tried.add(uri)) {
            return Duration.ZERO;
        }
        long delay = repeatDelayNanos(repeats++);
        if (maxRetryTimeNs > 0) {
            // Never sleep past the deadline: the next call then gives up on time.
            delay = Math.min(delay, maxRetryTimeNs - elapsed);
        }
        return Duration.ofNanos(delay);
    }

    @Override
    public final void reset() {
        tried.clear();
        repeats = 0;
        started = false;
    }
}
