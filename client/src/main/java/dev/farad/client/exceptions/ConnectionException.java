package dev.farad.client.exceptions;

/**
 * The client cannot connect, or lost its connection: the base of the connection-state failures.
 * An HA client retries these.
 *
 * <p>Immutable; thread-safe.
 */
public class ConnectionException extends FaradException {
    /**
     * @param message what failed, with the server URI (never the password)
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public ConnectionException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
