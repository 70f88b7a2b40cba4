package dev.farad.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of a State of the World: the latest message for a key.
 *
 * <p>A record does not change once stored, with one exception: {@link SowStore#putInPlace}
 * writes an update into the stored record itself (message, sequence, expiry, correlation id), so
 * that a steady stream of updates leaves nothing behind for the collector. The owner of a store
 * calls it only when nothing holds the record to read it later. Everything else replaces the
 * record, so a holder (a query's snapshot, an update waiting for the log) keeps a consistent view
 * and can ask {@link SowStore#isCurrent} whether its record is still the stored one; a holder that
 * may outlive an update in place (an expiry entry) also compares {@link #sequence()}.
 *
 * <p>{@code data} is not copied: whoever builds a record hands the array over and must not modify
 * it afterwards. Equality is identity.
 */
public final class SowRecord {
    /** {@link #expiresAtNanos} of a record that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    private final String key;
    private byte[] data;
    private long sequence;
    private long expiresAtNanos;
    private String correlationId;

    /**
     * A record.
     *
     * @param key the record's key in its {@link SowStore}
     * @param data the message body
     * @param sequence the broker's SOW sequence of the publish that made this record (orders records)
     * @param expiresAtNanos {@link System#nanoTime()} at which the record expires, or {@link #NEVER}
     * @param correlationId the publisher's correlation id, or {@code null}
     * @throws NullPointerException if {@code key} or {@code data} is {@code null}
     */
    public SowRecord(String key, byte[] data, long sequence, long expiresAtNanos, String correlationId) {
        this.key = Objects.requireNonNull(key, "key");
        this.data = Objects.requireNonNull(data, "data");
        this.sequence = sequence;
        this.expiresAtNanos = expiresAtNanos;
        this.correlationId = correlationId;
    }

    /** The record's key in its {@link SowStore}. */
    public String key() {
        return key;
    }

    /** The message body (not a copy). */
    public byte[] data() {
        return data;
    }

    /** The broker's SOW sequence of the publish that made this record. */
    public long sequence() {
        return sequence;
    }

    /** {@link System#nanoTime()} at which the record expires, or {@link #NEVER}. */
    public long expiresAtNanos() {
        return expiresAtNanos;
    }

    /** The publisher's correlation id, or {@code null}. */
    public String correlationId() {
        return correlationId;
    }

    /** Takes an update in place: the array is reused when the length matches. */
    void overwrite(byte[] message, int offset, int length, long sequence, long expiresAtNanos, String correlationId) {
        if (data.length == length) {
            System.arraycopy(message, offset, data, 0, length);
        } else {
            data = Arrays.copyOfRange(message, offset, offset + length);
        }
        this.sequence = sequence;
        this.expiresAtNanos = expiresAtNanos;
        this.correlationId = correlationId;
    }

    /** The key, sequence and size; never the bytes. */
    @Override
    public String toString() {
        return "SowRecord[key=" + key + ", sequence=" + sequence + ", " + data.length + " bytes]";
    }
}
