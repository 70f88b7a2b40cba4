package dev.farad.client.exceptions;

/**
 * A bounded publish store is full: the broker has not yet reported enough earlier writes persisted
 * to make room, and the store's back-pressure policy is to fail (at once, or after blocking for its
 * timeout). The write was not stored and not sent; the caller may retry later.
 *
 * <p>Immutable; thread-safe.
 */
public class PublishStoreFullException extends StoreException {
    private final long capacity;

    /**
     * @param message what failed, naming the store and the topic
     * @param capacity the store's capacity in writes
     */
    public PublishStoreFullException(String message, long capacity) {
        super(message, null);
        this.capacity = capacity;
    }

    /** How many unpersisted writes the store holds at most. */
    public long capacity() {
        return capacity;
    }
}
