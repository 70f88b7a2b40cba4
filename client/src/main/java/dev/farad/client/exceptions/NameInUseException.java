package dev.farad.client.exceptions;

/**
 * Another connection with a different user holds this client name (reason {@code name in use}).
 *
 * <p>Immutable; thread-safe.
 */
public class NameInUseException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public NameInUseException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
