package dev.farad.store;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
 * so that thread may hand them to others, except where {@link #putInPlace} updates one in place.
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
     * Stores a copy of {@code message[offset, offset + length)} as the record for {@code key}. An
     * existing record takes the update in place (its array too when the length matches), so a
     * steady stream of updates allocates nothing here and, since no stored object comes to point
     * at a new one, gives the collector nothing to track or copy.
     *
     * <p>The record a holder kept for this key then reads as the update. Call this only when
     * nothing holds the key's record to read it later (a query's snapshot, an update waiting for
     * the log, a comparison still to be made); otherwise build a record and {@link #put} it.
     *
     * @return the stored record
     * @throws IndexOutOfBoundsException if the range is not inside {@code message}
     */
    public SowRecord putInPlace(String key, byte[] message, int offset, int length, long sequence,
            long expiresAtNanos, String correlationId) {
        Objects.checkFromIndexSize(offset, length, message.length);
        SowRecord stored = records.get(key);
        if (stored != null) {
            stored.overwrite(message, offset, length, sequence, expiresAtNanos, correlationId);
            return stored;
        }
        stored = new SowRecord(key, Arrays.copyOfRange(message, offset, offset + length), sequence, expiresAtNanos,
                correlationId);
        records.put(key, stored);
        return stored;
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
