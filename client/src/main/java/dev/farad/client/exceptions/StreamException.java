package dev.farad.client.exceptions;

/**
 * The broker sent bytes that are not a valid frame; the connection is dropped.
 *
 * <p>Immutable; thread-safe.
 */
public class StreamException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public StreamException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
