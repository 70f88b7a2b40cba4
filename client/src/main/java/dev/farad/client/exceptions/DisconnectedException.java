package dev.farad.client.exceptions;

/**
 * There is no connection while sending or while awaiting a reply; also thrown to waiting callers
 * when the client is closed, and reported when a disconnect handler could not reconnect.
 *
 * <p>Immutable; thread-safe.
 */
public class DisconnectedException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public DisconnectedException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
