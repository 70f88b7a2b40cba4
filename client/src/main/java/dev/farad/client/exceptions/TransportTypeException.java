package dev.farad.client.exceptions;

/**
 * The URI names a transport the client does not support (only {@code tcp}).
 *
 * <p>Immutable; thread-safe.
 */
public class TransportTypeException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public TransportTypeException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
