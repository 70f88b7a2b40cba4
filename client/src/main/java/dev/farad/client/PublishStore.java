package dev.farad.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Keeps writes until the broker reports them persisted, so they can be replayed after a reconnect
 * (the HA plug point for guaranteed publishing).
 *
 * <p>With a store set ({@link Client#setPublishStore(PublishStore)}), every {@code publish} is
 * stored first and sent with the sequence the store assigned ({@code s}) and a request for the
 * {@code persisted} acknowledgement; a persisted ack with sequence {@code s} discards everything up
 * to {@code s}; a failure ack hands the stored message to the {@link FailedWriteHandler} and
 * discards it. After each logon the client discards up to the sequence in the logon ack, replays
 * the rest in order and reports {@link ConnectionState#PUBLISH_REPLAYED}.
 *
 * <p>Implementations must be thread-safe: {@code store} runs on application threads, {@code
 * discardUpTo} on the receive thread and {@code replay} on the thread that logs on.
 */
public interface PublishStore {
    /**
     * Stores a write and assigns it the next sequence.
     *
     * @param write the write; its {@code sequence} is ignored
     * @return the assigned sequence, greater than any assigned or discarded before
     */
    long store(StoredPublish write);

    /**
     * Discards every write with a sequence up to and including {@code sequence}; later sequences
     * the store assigns are greater than it.
     */
    void discardUpTo(long sequence);

    /** The write with this sequence, or {@code null} if the store does not hold it. */
    StoredPublish get(long sequence);

    /** Hands every held write to {@code sender}, in sequence order. */
    void replay(Consumer<StoredPublish> sender);

    /** How many writes the store holds. */
    long unpersistedCount();

    /**
     * Waits until every write stored before this call has been discarded (persisted). This default
     * polls {@link #unpersistedCount()} every millisecond until it is zero; stores that can, wake
     * the caller instead.
     *
     * @return whether that happened within {@code timeout}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    default boolean awaitPersisted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unpersistedCount() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }
}
