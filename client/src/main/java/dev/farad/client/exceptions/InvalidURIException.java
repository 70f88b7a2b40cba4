package dev.farad.client.exceptions;

/**
 * The connection URI is malformed or lacks a part ({@code tcp://host:port/amps/json}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvalidURIException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidURIException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
