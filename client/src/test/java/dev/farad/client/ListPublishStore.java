package dev.farad.client;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** A minimal in-memory {@link PublishStore} for tests. Thread-safe (synchronized). */
final class ListPublishStore implements PublishStore {
    private final TreeMap<Long, StoredPublish> held = new TreeMap<>();
    private long last;

    @Override
    public synchronized long store(StoredPublish write) {
        long seq = ++last;
        held.put(seq, new StoredPublish(seq, write.command(), write.topic(), write.data(), write.filter(),
                write.correlationId(), write.expiration()));
        return seq;
    }

    @Override
    public synchronized void discardUpTo(long sequence) {
        held.headMap(sequence, true).clear();
        last = Math.max(last, sequence);
    }

    @Override
    public synchronized StoredPublish get(long sequence) {
        return held.get(sequence);
    }

    @Override
    public void replay(Consumer<StoredPublish> sender) {
        for (StoredPublish p : snapshot().values()) {
            sender.accept(p);
        }
    }

    private synchronized Map<Long, StoredPublish> snapshot() {
        return new TreeMap<>(held);
    }

    @Override
    public synchronized long unpersistedCount() {
        return held.size();
    }
}
