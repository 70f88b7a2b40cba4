package dev.farad.client.exceptions;

/**
 * {@code connect()} was called on a client that is already connected, or a store was set while
 * connected.
 *
 * <p>Immutable; thread-safe.
 */
public class AlreadyConnectedException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public AlreadyConnectedException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
