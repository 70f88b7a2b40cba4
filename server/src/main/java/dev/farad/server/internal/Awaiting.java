package dev.farad.server.internal;

import dev.farad.store.SowRecord;

/**
 * Work that waits for the transaction log to make a log sequence durable: the live delivery of a
 * logged message, the {@code oof} notices of a logged delete, and/or a {@code persisted} ack. Entries queue in log-sequence order; the engine
 * completes them when the log reports the sequence durable, or fails them when it reports the
 * write failed. Owned by the engine thread.
 */
final class Awaiting {
    /** The log sequence this entry waits for. */
    final long sequence;
    /** Whether {@link #sequence} is this entry's own record (its failure fails this entry). */
    final boolean ownRecord;

    // The persisted ack, when ackTo is non-null.
    Connection ackTo;
    String ackCommandId;
    String ackTopic;
    long ackPublisherSequence;
    /** A failure decided in advance (for example {@code duplicate}), sent in order. */
    String ackFailure;

    // The live delivery, when topic is non-null.
    String topic;
    String publisherName;
    String sowKey;
    String correlationId;
    byte[] payload;
    SowTopic sowTopic;
    SowRecord previous;
    SowRecord current;

    // A logged sow_delete: the record it removed, whose oof notices wait too.
    SowRecord deleted;

    Awaiting(long sequence, boolean ownRecord) {
        this.sequence = sequence;
        this.ownRecord = ownRecord;
    }
}
