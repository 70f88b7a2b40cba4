package dev.farad.client.internal;

import dev.farad.client.Message;
import dev.farad.client.exceptions.FaradException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue behind a {@link dev.farad.client.MessageStream}. The dispatch thread
 * {@linkplain #offer offers} messages and waits while the queue is full; the application thread
 * {@linkplain #poll polls}. Once {@linkplain #end ended}, offers are dropped and polls drain what is
 * left, then see the end (and its failure, if any).
 *
 * <p>Thread-safe.
 */
public final class StreamQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private final int maxDepth;
    // Guarded by lock.
    private boolean ended;
    // Guarded by lock.
    private FaradException failure;

    /** @param maxDepth the most messages held; {@code 0} for no bound */
    public StreamQueue(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /** Adds a message, waiting while the queue is full; drops it if the stream has ended. */
    public void offer(Message m) throws InterruptedException {
        lock.lock();
        try {
            while (!ended && maxDepth > 0 && queue.size() >= maxDepth) {
                notFull.await();
            }
            if (!ended) {
                queue.add(m);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream; the first end wins. Pollers get what is queued, then {@code null}, or
     * {@code failure} thrown if it is not {@code null}.
     *
     * @param discard whether to drop what is queued (the consumer closed the stream)
     */
    public void end(FaradException failure, boolean discard) {
        lock.lock();
        try {
            if (!ended) {
                ended = true;
                this.failure = failure;
            }
            if (discard) {
                queue.clear();
            }
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the stream has ended (messages may still be queued). */
    public boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next message, waiting up to {@code timeoutNs} ({@code < 0}: without limit).
     *
     * @return the message; {@code null} on timeout or at the end of a stream that ended cleanly
     * @throws FaradException at the end of a stream that ended with a failure
     */
    public Message poll(long timeoutNs) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNs;
            while (queue.isEmpty()) {
                if (ended) {
                    if (failure != null) {
                        throw failure;
                    }
                    return null;
                }
                if (timeoutNs < 0) {
                    notEmpty.await();
                } else {
                    if (left <= 0) {
                        return null;
                    }
                    left = notEmpty.awaitNanos(left);
                }
            }
            Message m = queue.poll();
            notFull.signal();
            return m;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a message is queued or the stream has ended, without waiting. */
    public boolean ready() {
        lock.lock();
        try {
            return !queue.isEmpty() || ended;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the stream has ended and nothing is queued. */
    public boolean exhausted() {
        lock.lock();
        try {
            return ended && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }
}
