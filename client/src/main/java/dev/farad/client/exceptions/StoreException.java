package dev.farad.client.exceptions;

/**
 * A publish store or bookmark store failed. During logon replay it is rethrown as a
 * {@link ConnectionException} with this as the cause.
 *
 * <p>Immutable; thread-safe.
 */
public class StoreException extends FaradException {
    /**
     * @param message what failed, naming the store
     * @param cause the underlying failure, or {@code null}
     */
    public StoreException(String message, Throwable cause) {
        super(message, null, cause);
    }
}
