package dev.farad.client;

import java.time.Duration;
import java.util.Objects;

/**
 * What a bounded publish store does with a write when it is full: {@link #fail()} throws {@link
 * dev.farad.client.exceptions.PublishStoreFullException} at once; {@link #block(Duration)} waits
 * for the broker to persist earlier writes, up to a timeout, then throws it.
 *
 * <p>Immutable; thread-safe.
 */
public final class BackPressure {
    private final Duration blockTimeout;

    private BackPressure(Duration blockTimeout) {
        this.blockTimeout = blockTimeout;
    }

    /** Fail a write to a full store at once. */
    public static BackPressure fail() {
        return new BackPressure(Duration.ZERO);
    }

    /**
     * Block a write to a full store until there is room, for at most {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout <= 0}
     */
    public static BackPressure block(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be > 0 but was " + timeout);
        }
        return new BackPressure(timeout);
    }

    /** How long a write waits for room; zero means it fails at once. */
    public Duration blockTimeout() {
        return blockTimeout;
    }

    @Override
    public String toString() {
        return blockTimeout.isZero() ? "fail" : "block(" + blockTimeout + ")";
    }
}
