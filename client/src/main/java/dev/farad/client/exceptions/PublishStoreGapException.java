package dev.farad.client.exceptions;

/**
 * At logon the broker reported a last persisted sequence below the lowest one the publish store
 * still holds: messages in between can no longer be replayed.
 *
 * <p>Immutable; thread-safe.
 */
public class PublishStoreGapException extends StoreException {
    /** @param message the sequences involved */
    public PublishStoreGapException(String message) {
        super(message, null);
    }
}
