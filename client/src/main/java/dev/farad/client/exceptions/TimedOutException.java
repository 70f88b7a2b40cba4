package dev.farad.client.exceptions;

/**
 * A command, logon or flush did not receive its acknowledgement within its timeout.
 *
 * <p>Immutable; thread-safe.
 */
public class TimedOutException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public TimedOutException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
