package dev.farad.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A bookmark store in memory: resumes bookmark subscriptions across reconnects of one client
 * process. Use {@link FileBookmarkStore} to resume across restarts.
 *
 * <p>Thread-safe (synchronized).
 */
public class MemoryBookmarkStore implements BookmarkStore {
    // Guarded by this.
    private final Map<String, Track> tracks = new HashMap<>();

    /** One subscription's progress. */
    private static final class Track {
        /** Logged, not yet discarded. */
        final TreeMap<Long, String> inFlight = new TreeMap<>();
        /** Discarded above the most recent point (out-of-order discards). */
        final TreeMap<Long, String> discardedAbove = new TreeMap<>();
        long recentSeq = -1;
        String recent;
    }

    private Track track(String subId) {
        return tracks.computeIfAbsent(Objects.requireNonNull(subId, "subId"), k -> new Track());
    }

    @Override
    public synchronized void log(String subId, String bookmark) {
        long seq = BookmarkStore.sequenceOf(bookmark);
        if (seq < 0) {
            return;
        }
        Track t = track(subId);
        if (seq > t.recentSeq && !t.discardedAbove.containsKey(seq)) {
            t.inFlight.put(seq, bookmark);
        }
        logged(subId, bookmark);
    }

    @Override
    public synchronized void discard(String subId, String bookmark) {
        long seq = BookmarkStore.sequenceOf(bookmark);
        if (seq < 0) {
            return;
        }
        Track t = track(subId);
        if (seq <= t.recentSeq) {
            return;
        }
        t.inFlight.remove(seq);
        t.discardedAbove.put(seq, bookmark);
        long limit = t.inFlight.isEmpty() ? Long.MAX_VALUE : t.inFlight.firstKey();
        Map.Entry<Long, String> newest = t.discardedAbove.lowerEntry(limit);
        if (newest != null) {
            t.recentSeq = newest.getKey();
            t.recent = newest.getValue();
            t.discardedAbove.headMap(newest.getKey(), true).clear();
        }
        discarded(subId, bookmark);
    }

    @Override
    public synchronized boolean isDiscarded(String subId, String bookmark) {
        long seq = BookmarkStore.sequenceOf(bookmark);
        if (seq < 0) {
            return false;
        }
        Track t = tracks.get(subId);
        return t != null && (seq <= t.recentSeq || t.discardedAbove.containsKey(seq));
    }

    @Override
    public synchronized String mostRecent(String subId) {
        Track t = tracks.get(subId);
        return t == null || t.recent == null ? EPOCH : t.recent;
    }

    @Override
    public synchronized void purge(String subId) {
        if (tracks.remove(subId) != null) {
            purged(subId);
        }
    }

    /** What replaying the store's state needs, per op: for compaction by subclasses. */
    interface Sink {
        void record(boolean discard, String subId, String bookmark);
    }

    /**
     * Hands the smallest sequence of log and discard records that rebuilds this state to {@code
     * sink}: per subscription, the in-flight logs, then the most recent point, then later discards.
     */
    synchronized void forEachRecord(Sink sink) {
        for (Map.Entry<String, Track> e : tracks.entrySet()) {
            Track t = e.getValue();
            for (String bm : t.inFlight.values()) {
                sink.record(false, e.getKey(), bm);
            }
            if (t.recent != null) {
                sink.record(true, e.getKey(), t.recent);
            }
            for (String bm : t.discardedAbove.values()) {
                sink.record(true, e.getKey(), bm);
            }
        }
    }

    /** Hook: called with the lock held after a log. */
    void logged(String subId, String bookmark) {
    }

    /** Hook: called with the lock held after a discard. */
    void discarded(String subId, String bookmark) {
    }

    /** Hook: called with the lock held after a purge. */
    void purged(String subId) {
    }
}
