package dev.farad.client;

import dev.farad.client.exceptions.ReconnectMaximumExceededException;
import java.time.Duration;

/**
 * How long an {@link HAClient} waits before each connection attempt, and when it gives up.
 * Implementations: {@link ExponentialDelayStrategy} (the default) and {@link FixedDelayStrategy}.
 *
 * <p>Called only from the thread running the client's connect loop, one call at a time.
 */
public interface ReconnectDelayStrategy {
    /**
     * The pause before the next attempt on {@code uri}.
     *
     * @throws ReconnectMaximumExceededException when the strategy gives up: the client stops
     *     reconnecting and reports {@link ConnectionState#SHUTDOWN}
     */
    Duration delayBefore(String uri);

    /** The client connected and recovered: start afresh. */
    void reset();
}
