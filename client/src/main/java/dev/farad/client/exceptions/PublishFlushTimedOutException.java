package dev.farad.client.exceptions;

/**
 * {@code publishFlush} gave up before the broker reported persisted every write published before
 * the call. Says how many of those writes are still unpersisted and which sequence range they span;
 * they stay in the publish store and are still replayed after a reconnect.
 *
 * <p>Immutable; thread-safe.
 */
public class PublishFlushTimedOutException extends TimedOutException {
    private final long unpersistedCount;
    private final long firstUnpersisted;
    private final long lastUnpersisted;

    /**
     * @param message what timed out, with the client name and the timeout
     * @param unpersistedCount how many writes up to the flush point are still unpersisted
     * @param firstUnpersisted the lowest of their sequences
     * @param lastUnpersisted the highest of their sequences
     */
    public PublishFlushTimedOutException(String message, long unpersistedCount, long firstUnpersisted,
            long lastUnpersisted) {
        super(message, null, null);
        this.unpersistedCount = unpersistedCount;
        this.firstUnpersisted = firstUnpersisted;
        this.lastUnpersisted = lastUnpersisted;
    }

    /** How many writes published before the flush are still unpersisted. */
    public long unpersistedCount() {
        return unpersistedCount;
    }

    /** The lowest unpersisted sequence among them. */
    public long firstUnpersisted() {
        return firstUnpersisted;
    }

    /** The highest unpersisted sequence among them. */
    public long lastUnpersisted() {
        return lastUnpersisted;
    }
}
