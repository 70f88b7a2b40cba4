package dev.farad.client.exceptions;

/**
 * The broker refused the credentials (reason {@code auth failure}); the broker closes the
 * connection. Not retried.
 *
 * <p>Immutable; thread-safe.
 */
public class AuthenticationException extends ConnectionException {
    /**
     * @param message what failed, with identifiers
     * @param reason the broker's reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public AuthenticationException(String message, String reason, Throwable cause) {
        super(message, reason, cause);
    }
}
