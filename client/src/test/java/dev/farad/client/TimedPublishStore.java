package dev.farad.client;

import java.util.concurrent.ConcurrentLinkedQueue;

/** A memory publish store that records when each persisted ack arrived; for failover timing. Thread-safe. */
final class TimedPublishStore extends AbstractPublishStore {
    private final ConcurrentLinkedQueue<long[]> discards = new ConcurrentLinkedQueue<>();

    TimedPublishStore(int capacity, BackPressure backPressure) {
        super(capacity, backPressure);
    }

    @Override
    protected void appended(StoredPublish write) {
        // memory only
    }

    @Override
    protected void discarded(long sequence) {
        discards.add(new long[] {System.nanoTime(), sequence});
    }

    /** The time of the first persisted ack after {@code nanoTime}, or -1. */
    long firstDiscardAfter(long nanoTime) {
        for (long[] d : discards) {
            if (d[0] > nanoTime) {
                return d[0];
            }
        }
        return -1;
    }
}
