package dev.farad.client.exceptions;

/**
 * The socket could not be opened: nothing listens at the address, or it refused the connection.
 *
 * <p>Immutable; thread-safe.
 */
public class ConnectionRefusedException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public ConnectionRefusedException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
