package dev.farad.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link PublishStore} in memory: protects against a lost connection or a failed broker, not
 * against the loss of this process.
 *
 * <p>Thread-safe.
 */
public final class MemoryPublishStore implements PublishStore {
    // Guarded by this.
    private final TreeMap<Long, StoredPublish> held = new TreeMap<>();
    // Guarded by this.
    private long lastSequence;

    @Override
    public synchronized long store(StoredPublish write) {
        long seq = ++lastSequence;
        held.put(seq, new StoredPublish(seq, write.command(), write.topic(), write.data(), write.filter(),
                write.correlationId(), write.expiration()));
        notifyAll();
        return seq;
    }

    @Override
    public synchronized void discardUpTo(long sequence) {
        held.headMap(sequence, true).clear();
        lastSequence = Math.max(lastSequence, sequence);
        notifyAll();
    }

    @Override
    public synchronized StoredPublish get(long sequence) {
        return held.get(sequence);
    }

    @Override
    public void replay(Consumer<StoredPublish> sender) {
        List<StoredPublish> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(held.values());
        }
        for (StoredPublish p : snapshot) {
            sender.accept(p);
        }
    }

    @Override
    public synchronized long unpersistedCount() {
        return held.size();
    }

    /** Waits (woken by each discard) until nothing stored before this call is unpersisted. */
    @Override
    public synchronized boolean awaitPersisted(Duration timeout) throws InterruptedException {
        long upTo = lastSequence;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!held.isEmpty() && held.firstKey() <= upTo) {
            long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, leftNs);
        }
        return true;
    }
}
