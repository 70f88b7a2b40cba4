package dev.farad.client.exceptions;

/**
 * The command was not delivered because the connection was being re-established by another thread;
 * retry it.
 *
 * <p>Immutable; thread-safe.
 */
public class RetryOperationException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public RetryOperationException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
