package dev.farad.server.internal;

/**
 * One record of a State of the World: the latest message for a key. Immutable; an update replaces
 * the record, so an expiry entry can tell whether its record is still the current one.
 */
record SowRecord(String key, byte[] data, long sequence, long expiresAtNanos, String correlationId) {
    static final long NEVER = Long.MAX_VALUE;
}
