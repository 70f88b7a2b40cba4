package dev.farad.client;

import dev.farad.protocol.AckType;
import java.nio.charset.StandardCharsets;

/**
 * One message from the broker: a delivery ({@code publish}, {@code oof}, {@code sow}), an
 * acknowledgement ({@code ack}), a query bracket ({@code group_begin}, {@code group_end}) or a
 * {@code heartbeat}.
 *
 * <p>The {@code data} array is a fresh copy owned by the receiver: a handler may keep or modify it.
 * Text fields that were absent on the wire are {@code null}; {@code sequence} is {@code 0} when
 * absent. Because {@code data} is an array, {@code equals} compares it by identity.
 *
 * <p>Immutable apart from {@code data}; safe to hand to other threads.
 *
 * @param command the message type, long form: {@code publish}, {@code ack}, {@code sow}, {@code oof},
 *     {@code group_begin}, {@code group_end}, {@code heartbeat}
 * @param commandId the command id ({@code cid}) the message answers, or {@code null}
 * @param topic the topic, or {@code null}
 * @param subId the subscription this delivery is for (one of {@code sids} when fanned out), or
 *     {@code null}
 * @param queryId the query id of SOW results, or {@code null}
 * @param data the payload; owned by the receiver; empty, never {@code null}
 * @param bookmark the transaction-log position of a delivery, or {@code null}
 * @param sowKey the SOW record key, or {@code null}
 * @param correlationId the publisher's correlation id, or {@code null}
 * @param sequence the publisher sequence ({@code s}); on logon and persisted acks the last sequence
 *     the broker holds; {@code 0} when absent
 * @param ackType on acks, which acknowledgement this is; otherwise {@code null}
 * @param status on acks, {@code success} or {@code failure}; otherwise {@code null}
 * @param reason on failure acks the failure reason, on {@code oof} why it left focus; or {@code null}
 * @param options the options header, or {@code null}
 * @param clientName on logon acks the client name, or {@code null}
 * @param userId the user id header, or {@code null}
 * @param timestamp the broker's processing time when requested, or {@code null}
 * @param version on logon acks the broker's version, or {@code null}
 * @param stats on {@code stats} acks the counts, otherwise {@code null}
 */
public record Message(
        String command,
        String commandId,
        String topic,
        String subId,
        String queryId,
        byte[] data,
        String bookmark,
        String sowKey,
        String correlationId,
        long sequence,
        AckType ackType,
        String status,
        String reason,
        String options,
        String clientName,
        String userId,
        String timestamp,
        String version,
        Stats stats) {

    /** The payload decoded as UTF-8. */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Whether this is an acknowledgement with status {@code failure}. */
    public boolean isFailure() {
        return "failure".equals(status);
    }

    /** A copy of this message for another subscription id (used when fanning out {@code sids}). */
    public Message withSubId(String otherSubId) {
        return new Message(command, commandId, topic, otherSubId, queryId, data.clone(), bookmark,
                sowKey, correlationId, sequence, ackType, status, reason, options, clientName,
                userId, timestamp, version, stats);
    }

    /** A readable summary: command, ids, topic, ack fields and payload size (not the payload). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Message{").append(command);
        append(sb, "cid", commandId);
        append(sb, "topic", topic);
        append(sb, "sub_id", subId);
        append(sb, "query_id", queryId);
        append(sb, "a", ackType == null ? null : ackType.wireName());
        append(sb, "status", status);
        append(sb, "reason", reason);
        append(sb, "bm", bookmark);
        append(sb, "k", sowKey);
        if (sequence != 0) {
            sb.append(", s=").append(sequence);
        }
        return sb.append(", ").append(data.length).append(" bytes}").toString();
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append(", ").append(key).append('=').append(value);
        }
    }
}
