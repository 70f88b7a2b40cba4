package dev.farad.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Backs off exponentially with random jitter, so that many clients losing the same server do not
 * come back in lock step: the first attempt on a URI not yet tried is immediate; the n-th repeat
 * (0-based) waits {@code min(max, initial * multiplier^n) + random(0, jitter)}. Gives up after
 * {@code maxRetryTime} (zero: never) with {@link
 * dev.farad.client.exceptions.ReconnectMaximumExceededException}. The default: initial 200 ms, max
 * 20 s, multiplier 2, jitter 200 ms, never give up.
 *
 * <pre>{@code
 * client.setReconnectDelayStrategy(ExponentialDelayStrategy.builder()
 *         .initialDelay(Duration.ofMillis(100)).maxRetryTime(Duration.ofMinutes(5)).build());
 * }</pre>
 *
 * <p>Not thread-safe: one client's connect loop uses it.
 */
public final class ExponentialDelayStrategy extends BaseDelayStrategy {
    private final long initialNs;
    private final long maxNs;
    private final double multiplier;
    private final long jitterNs;
    private final DoubleSupplier random;

    /** The default strategy. */
    public ExponentialDelayStrategy() {
        this(builder());
    }

    private ExponentialDelayStrategy(Builder b) {
        super(b.maxRetryTime, b.nanoClock);
        this.initialNs = b.initialDelay.toNanos();
        this.maxNs = b.maxDelay.toNanos();
        this.multiplier = b.multiplier;
        this.jitterNs = b.jitter.toNanos();
        this.random = b.random;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    long repeatDelayNanos(int repeat) {
        double base = initialNs * Math.pow(multiplier, repeat);
        long delay = base >= maxNs ? maxNs : (long) base;
        return delay + (long) (jitterNs * random.getAsDouble());
    }

    /** Settings of an {@link ExponentialDelayStrategy}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofMillis(200);
        private Duration maxDelay = Duration.ofSeconds(20);
        private double multiplier = 2.0;
        private Duration jitter = Duration.ofMillis(200);
        private Duration maxRetryTime = Duration.ZERO;
        private LongSupplier nanoClock = System::nanoTime;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /** The pause before the first repeated attempt (200 ms). */
        public Builder initialDelay(Duration v) {
            this.initialDelay = Objects.requireNonNull(v, "initialDelay");
            return this;
        }

        /** The longest pause, before jitter (20 s). */
        public Builder maxDelay(Duration v) {
            this.maxDelay = Objects.requireNonNull(v, "maxDelay");
            return this;
        }

        /** The growth factor per repeat (2.0). */
        public Builder multiplier(double v) {
            this.multiplier = v;
            return this;
        }

        /** The largest random extra pause added to each repeat (200 ms); zero for none. */
        public Builder jitter(Duration v) {
            this.jitter = Objects.requireNonNull(v, "jitter");
            return this;
        }

        /** How long to keep trying from the first attempt; zero (the default) never gives up. */
        public Builder maxRetryTime(Duration v) {
            this.maxRetryTime = Objects.requireNonNull(v, "maxRetryTime");
            return this;
        }

        Builder nanoClock(LongSupplier v) {
            this.nanoClock = Objects.requireNonNull(v, "nanoClock");
            return this;
        }

        Builder random(DoubleSupplier v) {
            this.random = Objects.requireNonNull(v, "random");
            return this;
        }

        /**
         * The strategy.
         *
         * @throws IllegalArgumentException naming the field that is out of range
         */
        public ExponentialDelayStrategy build() {
            if (initialDelay.isNegative()) {
                throw new IllegalArgumentException("initialDelay must be >= 0 but was " + initialDelay);
            }
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be >= initialDelay but was " + maxDelay);
            }
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier must be >= 1 but was " + multiplier);
            }
            if (jitter.isNegative()) {
                throw new IllegalArgumentException("jitter must be >= 0 but was " + jitter);
            }
            if (maxRetryTime.isNegative()) {
                throw new IllegalArgumentException("maxRetryTime must be >= 0 but was " + maxRetryTime);
            }
            return new ExponentialDelayStrategy(this);
        }
    }
}
