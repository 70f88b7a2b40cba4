package dev.farad.client;

import dev.farad.client.exceptions.PublishStoreFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The in-memory half of Farad's publish stores: sequence assignment, the held writes in sequence
 * order, an optional bound with {@link BackPressure}, and waiting until writes are persisted (what
 * {@link HAClient#publishFlush(Duration)} needs). {@link MemoryPublishStore} is just this; {@link
 * FilePublishStore} adds a file through the {@link #appended} and {@link #discarded} hooks.
 *
 * <p>Thread-safe: every method may be called from any thread. Hooks run with the store's lock held.
 */
public abstract class AbstractPublishStore implements PublishStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final TreeMap<Long, StoredPublish> held = new TreeMap<>();
    // Guarded by lock. The highest sequence assigned or discarded.
    private long lastSequence;
    private final int capacity;
    private final BackPressure backPressure;

    /**
     * @param capacity the most writes held at once; {@code 0} for no bound
     * @param backPressure what {@link #store} does when the store is full
     */
    protected AbstractPublishStore(int capacity, BackPressure backPressure) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0 but was " + capacity);
        }
        this.capacity = capacity;
        this.backPressure = Objects.requireNonNull(backPressure, "backPressure");
    }

    /** Called with the lock held after a write is assigned its sequence, before it is held. */
    protected abstract void appended(StoredPublish write);

    /** Called with the lock held after every write up to {@code sequence} was discarded. */
    protected abstract void discarded(long sequence);

    /** Restores a write read back from durable storage; for subclasses' recovery. */
    protected final void restore(StoredPublish write) {
        lock.lock();
        try {
            held.put(write.sequence(), write);
            lastSequence = Math.max(lastSequence, write.sequence());
        } finally {
            lock.unlock();
        }
    }

    /** Restores a discard read back from durable storage; for subclasses' recovery. */
    protected final void restoreDiscard(long sequence) {
        lock.lock();
        try {
            held.headMap(sequence, true).clear();
            lastSequence = Math.max(lastSequence, sequence);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws PublishStoreFullException if the store is full and stays full (see {@link BackPressure})
     */
    @Override
    public long store(StoredPublish write) {
        Objects.requireNonNull(write, "write");
        lock.lock();
        try {
            if (capacity > 0 && held.size() >= capacity) {
                awaitRoom(write);
            }
            long seq = lastSequence + 1;
            StoredPublish stored = new StoredPublish(seq, write.command(), write.topic(), write.data(),
                    write.filter(), write.correlationId(), write.expiration());
            appended(stored);
            lastSequence = seq;
            held.put(seq, stored);
            return seq;
        } finally {
            lock.unlock();
        }
    }

    private void awaitRoom(StoredPublish write) {
        assert lock.isHeldByCurrentThread();
        long remainingNs = backPressure.blockTimeout().toNanos();
        while (held.size() >= capacity) {
            if (remainingNs <= 0) {
                throw new PublishStoreFullException(this + " is full (" + capacity + " unpersisted writes,"
                        + " back-pressure " + backPressure + "); " + write.command() + " to topic '"
                        + write.topic() + "' not stored", capacity);
            }
            try {
                remainingNs = changed.awaitNanos(remainingNs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishStoreFullException("interrupted while waiting for room in " + this, capacity);
            }
        }
    }

    @Override
    public void discardUpTo(long sequence) {
        lock.lock();
        try {
            if (sequence <= 0) {
                return;
            }
            Map<Long, StoredPublish> head = held.headMap(sequence, true);
            boolean bumps = sequence > lastSequence;
            if (head.isEmpty() && !bumps) {
                return;
            }
            head.clear();
            lastSequence = Math.max(lastSequence, sequence);
            discarded(sequence);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public StoredPublish get(long sequence) {
        lock.lock();
        try {
            return held.get(sequence);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void replay(Consumer<StoredPublish> sender) {
        List<StoredPublish> snapshot;
        lock.lock();
        try {
            snapshot = new ArrayList<>(held.values());
        } finally {
            lock.unlock();
        }
        for (StoredPublish p : snapshot) {
            sender.accept(p);
        }
    }

    @Override
    public long unpersistedCount() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    /** The highest sequence assigned or discarded so far ({@code 0} for a new store). */
    public long lastSequence() {
        lock.lock();
        try {
            return lastSequence;
        } finally {
            lock.unlock();
        }
    }

    /** The lowest sequence still held, or {@code 0} when the store is empty. */
    public long lowestUnpersisted() {
        lock.lock();
        try {
            return held.isEmpty() ? 0 : held.firstKey();
        } finally {
            lock.unlock();
        }
    }

    /** The most writes held at once; {@code 0} for no bound. */
    public int capacity() {
        return capacity;
    }

    /**
     * Waits until no write with a sequence up to {@code upTo} is held, for at most {@code timeout}.
     *
     * @return the writes up to {@code upTo} still held: empty when all are persisted
     * @throws InterruptedException if interrupted while waiting
     */
    public List<Long> awaitPersisted(long upTo, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                Map<Long, StoredPublish> left = held.headMap(upTo, true);
                if (left.isEmpty()) {
                    return List.of();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return new ArrayList<>(left.keySet());
                }
                changed.await(remaining, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }
}
