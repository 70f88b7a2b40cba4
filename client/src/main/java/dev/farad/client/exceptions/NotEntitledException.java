package dev.farad.client.exceptions;

/**
 * The user may not do this (reason {@code not entitled}), on logon or on a command.
 *
 * <p>Immutable; thread-safe.
 */
public class NotEntitledException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public NotEntitledException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
