package dev.farad.client.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The heartbeat read-timeout rule on its own, with an injected clock: the connection is dead once
 * nothing at all has been read for {@code timeout}.
 *
 * <p>{@link #onRead()} is called on the receive thread for every frame; {@link #expiredSilence()}
 * by the periodic check on the same thread. Thread-safe (one volatile field).
 */
final class ReadTimeout {
    private final LongSupplier nanoClock;
    private final long timeoutNs;
    private volatile long lastReadNs;

    /**
     * @param nanoClock a monotonic nanosecond clock ({@code System::nanoTime} outside tests)
     * @param timeout how long silence may last
     */
    ReadTimeout(LongSupplier nanoClock, Duration timeout) {
        this.nanoClock = nanoClock;
        this.timeoutNs = timeout.toNanos();
        this.lastReadNs = nanoClock.getAsLong();
    }

    /** Something was read: silence starts again now. */
    void onRead() {
        lastReadNs = nanoClock.getAsLong();
    }

    /** How long it has been silent if that reached the timeout, else {@code null}. */
    Duration expiredSilence() {
        long silentNs = nanoClock.getAsLong() - lastReadNs;
        return silentNs >= timeoutNs ? Duration.ofNanos(silentNs) : null;
    }

    /** How often to check: a quarter of the timeout, at least every 10 ms. */
    long checkPeriodNs() {
        return Math.max(Duration.ofMillis(10).toNanos(), timeoutNs / 4);
    }
}
