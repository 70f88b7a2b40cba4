package dev.farad.store;

import java.util.Objects;

/**
 * One record of a State of the World: the latest message for a key.
 *
 * <p>Immutable, except that {@code data} is not copied: whoever builds a record hands the array over
 * and must not modify it afterwards. Because an update replaces the record instead of changing it,
 * a holder (a query's snapshot, an update waiting for the log, an expiry entry) keeps a consistent
 * view and can ask {@link SowStore#isCurrent} whether its record is still the stored one.
 *
 * @param key the record's key in its {@link SowStore}
 * @param data the message body
 * @param sequence the broker's SOW sequence of the publish that made this record (orders records)
 * @param expiresAtNanos {@link System#nanoTime()} at which the record expires, or {@link #NEVER}
 * @param correlationId the publisher's correlation id, or {@code null}
 */
public record SowRecord(String key, byte[] data, long sequence, long expiresAtNanos, String correlationId) {
    /** {@link #expiresAtNanos} of a record that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    /**
     * Checks the arguments.
     *
     * @throws NullPointerException if {@code key} or {@code data} is {@code null}
     */
    public SowRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
    }

    /** The key, sequence and size; never the bytes. */
    @Override
    public String toString() {
        return "SowRecord[key=" + key + ", sequence=" + sequence + ", " + data.length + " bytes]";
    }
}
