package dev.farad.bench.load;

import dev.farad.client.PublishStore;
import dev.farad.client.StoredPublish;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A {@link PublishStore} that hands every call to another store and times each write from the
 * moment {@code Client.publish} stores it (before it is sent; the store's own fsync counts) to the
 * persisted ack that discards it. The client offers no per-message ack callback, but it discards
 * on every persisted ack, conflated acks carry the highest sequence they cover, and the store
 * assigns sequences in increasing order: a discard up to {@code s} completes every write up to
 * {@code s} that was not complete before. A failure ack discards too; the caller counts those
 * through the client's failed-write handler.
 *
 * <p>Threads: {@link #store} on the one publishing thread; {@link #discardUpTo} on the client's
 * receive thread (and on the logon thread, before any write); the rest on any thread.
 */
final class AckTimingStore implements PublishStore {
    private final PublishStore delegate;
    // System.nanoTime() at store, by sequence & mask; a slot is reused only after its write completed
    // because the delegate never holds more than `capacity` writes and the array is at least that long.
    private final AtomicLongArray issued;
    private final int mask;
    private final AtomicLong acked = new AtomicLong();
    private volatile long lastStored;
    private volatile long measureFrom = Long.MAX_VALUE;
    // Guarded by this.
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

    /**
     * @param delegate the store that keeps the writes; it must hold at most {@code capacity}
     * @param capacity the delegate's bound
     */
    AckTimingStore(PublishStore delegate, int capacity) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0 but was " + capacity);
        }
        int slots = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.issued = new AtomicLongArray(slots);
        this.mask = slots - 1;
    }

    /** Times writes stored at or after {@code nanoTime} ({@link System#nanoTime()}); earlier ones are warm-up. */
    void measureFrom(long nanoTime) {
        this.measureFrom = nanoTime;
    }

    /** The highest sequence discarded so far: every write up to it has its ack. */
    long acked() {
        return acked.get();
    }

    /** A copy of the publish-to-ack times (ns) of the measured writes acknowledged so far. */
    synchronized Histogram measured() {
        return histogram.copy();
    }

    @Override
    public long store(StoredPublish write) {
        long t = System.nanoTime();
        long seq = delegate.store(write);
        issued.set((int) (seq & mask), t);
        lastStored = seq;
        return seq;
    }

    @Override
    public synchronized void discardUpTo(long sequence) {
        long now = System.nanoTime();
        long from = acked.get() + 1;
        // Before the delegate frees room: a store after that may reuse these slots.
        long to = Math.min(sequence, lastStored);
        long since = measureFrom;
        for (long s = from; s <= to; s++) {
            long t = issued.get((int) (s & mask));
            if (t >= since) {
                histogram.recordValue(Math.max(0, now - t));
            }
        }
        delegate.discardUpTo(sequence);
        if (sequence > acked.get()) {
            acked.set(sequence);
        }
    }

    @Override
    public StoredPublish get(long sequence) {
        return delegate.get(sequence);
    }

    @Override
    public void replay(Consumer<StoredPublish> sender) {
        delegate.replay(sender);
    }

    @Override
    public long unpersistedCount() {
        return delegate.unpersistedCount();
    }

    @Override
    public boolean awaitPersisted(Duration timeout) throws InterruptedException {
        return delegate.awaitPersisted(timeout);
    }

    @Override
    public String toString() {
        return "AckTimingStore{" + delegate + ", acked=" + acked.get() + "}";
    }
}
