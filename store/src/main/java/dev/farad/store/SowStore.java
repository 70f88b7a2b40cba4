package dev.farad.store;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The records of one State of the World topic: the latest {@link SowRecord} per key, kept in the
 * order the keys were first inserted (an update keeps its key's place; a key removed and stored
 * again moves to the end). That order is the order of a query without {@code orderby}.
 *
 * <p>Keys are opaque strings; the broker derives them from the message (key paths) or takes the
 * publisher's {@code sow_key}. The store keeps records in memory only: after a restart the broker
 * rebuilds it from the transaction log.
 *
 * <p>Not thread-safe: one thread owns a store (the broker's engine thread). Records are immutable,
 * so that thread may hand them to others.
 */
public final class SowStore {
    private final Map<String, SowRecord> records = new LinkedHashMap<>();
    private final Collection<SowRecord> view = Collections.unmodifiableCollection(records.values());

    /** The record stored for {@code key}, or {@code null}. */
    public SowRecord get(String key) {
        return records.get(key);
    }

    /**
     * Stores {@code record} under its key.
     *
     * @return the record it replaced, or {@code null} when the key was new
     */
    public SowRecord put(SowRecord record) {
        return records.put(record.key(), record);
    }

    /**
     * Removes the record for {@code key}.
     *
     * @return the removed record, or {@code null} when there was none
     */
    public SowRecord remove(String key) {
        return records.remove(key);
    }

    /** Whether {@code record} is the one stored for its key (not replaced, removed or never stored). */
    public boolean isCurrent(SowRecord record) {
        return records.get(record.key()) == record;
    }

    /** Whether a record is stored for {@code key}. */
    public boolean containsKey(String key) {
        return records.containsKey(key);
    }

    /** How many records the store holds. */
    public int size() {
        return records.size();
    }

    /**
     * The records in first-insert order: a read-only view that follows the store. Iterate it on the
     * owning thread without changing the store meanwhile; copy what must outlive a change.
     */
    public Collection<SowRecord> records() {
        return view;
    }
}
