package dev.farad.client;

/**
 * A publish or SOW delete the broker reported as failed, as passed to {@link FailedWriteHandler}.
 *
 * <p>{@code topic} and {@code data} come from the publish store when one holds the message;
 * without a store only the acknowledgement is known and they are {@code null} (the topic may come
 * from the client's record of a pending SOW delete).
 *
 * <p>Immutable apart from {@code data}, which the receiver owns.
 *
 * @param ack the failure acknowledgement as received
 * @param sequence the publisher sequence of the failed write, {@code 0} if unknown
 * @param reason the broker's failure reason
 * @param command the command that failed ({@code publish}, {@code sow_delete}, ...), or {@code null}
 *     if unknown
 * @param topic the topic of the failed write, or {@code null} if unknown
 * @param data the payload of the failed write, or {@code null} if no store holds it
 */
public record FailedWrite(Message ack, long sequence, String reason, String command, String topic,
        byte[] data) {}
