package dev.farad.client.exceptions;

/**
 * A reconnect strategy gave up: its maximum retry time passed.
 *
 * <p>Immutable; thread-safe.
 */
public class ReconnectMaximumExceededException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public ReconnectMaximumExceededException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
