package dev.farad.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;

/**
 * The header keys Farad knows. The first name of each is the short form the encoder writes; the
 * others are accepted aliases (long forms and older spellings).
 */
enum HeaderField {
    COMMAND(null, null, "c", "command", "cmd"),
    COMMAND_ID(Header::commandId, null, "cid", "command_id", "cmd_id"),
    TOPIC(Header::topic, null, "t", "topic"),
    FILTER(Header::filter, null, "filter", "f"),
    OPTIONS(Header::options, null, "o", "opts", "options"),
    ACK_TYPE((h, v) -> h.ackTypes(AckType.parseMask(v)), null, "a", "ack_type"),
    SUB_ID(Header::subId, null, "sub_id", "sid", "subscription_id"),
    SUB_IDS(Header::subIds, null, "sids", "subscription_ids"),
    QUERY_ID(Header::queryId, null, "query_id", "qid"),
    SEQUENCE(null, Header::sequence, "s", "seq", "sequence"),
    BOOKMARK(Header::bookmark, null, "bm", "bookmark"),
    SOW_KEY(Header::sowKey, null, "k", "sow_key"),
    SOW_KEYS(Header::sowKeys, null, "sow_keys"),
    CORRELATION_ID(Header::correlationId, null, "x", "correlation_id"),
    EXPIRATION(null, Header::expiration, "e", "expiration"),
    BATCH_SIZE(null, Header::batchSize, "bs", "batch_size"),
    TOP_N(null, Header::topN, "top_n"),
    ORDER_BY(Header::orderBy, null, "orderby", "order_by"),
    MESSAGE_LENGTH(null, Header::messageLength, "l", "msg_len"),
    TIMESTAMP(Header::timestamp, null, "ts", "timestamp"),
    STATUS(Header::status, null, "status"),
    REASON(Header::reason, null, "reason"),
    CLIENT_NAME(Header::clientName, null, "client_name"),
    USER_ID(Header::userId, null, "user_id"),
    PASSWORD(Header::password, null, "pw", "password"),
    VERSION(Header::version, null, "v", "version"),
    MESSAGE_TYPE(Header::messageType, null, "mt", "message_type"),
    MATCHES(null, Header::matches, "matches"),
    TOPIC_MATCHES(null, Header::topicMatches, "topic_matches"),
    RECORDS_RETURNED(null, Header::recordsReturned, "records_returned"),
    RECORDS_DELETED(null, Header::recordsDeleted, "records_deleted"),
    RECORDS_INSERTED(null, Header::recordsInserted, "records_inserted"),
    RECORDS_UPDATED(null, Header::recordsUpdated, "records_updated");

    private final BiConsumer<Header, String> textSetter;
    private final ObjLongConsumer<Header> numberSetter;
    private final String[] names;
    private final byte[] quotedKeyColon;

    HeaderField(BiConsumer<Header, String> textSetter, ObjLongConsumer<Header> numberSetter,
            String... names) {
        this.textSetter = textSetter;
        this.numberSetter = numberSetter;
        this.names = names;
        this.quotedKeyColon = ("\"" + names[0] + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    byte[] quotedKeyColon() {
        return quotedKeyColon;
    }

    /** Sets this field from a string value; numeric fields parse it. */
    void set(Header h, String value, int pos) {
        if (this == COMMAND) {
            h.commandName(value);
        } else if (textSetter != null) {
            textSetter.accept(h, value);
        } else {
            long v;
            try {
                v = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new MalformedFrameException("malformed header: '" + names[0]
                        + "' must be a non-negative integer", -1);
            }
            numberSetter.accept(h, v);
        }
    }

    /** Sets this field from a bare number; text fields keep its digits. */
    void setNumber(Header h, long value, byte[] bytes, int start, int len) {
        if (numberSetter != null) {
            numberSetter.accept(h, value);
        } else {
            set(h, new String(bytes, start, len, StandardCharsets.US_ASCII), start);
        }
    }

    // Lookup by key bytes without creating a String: one-byte keys (most of what the encoder
    // writes) index a table directly; longer ones are bucketed by length and first byte.
    private static final int MAX_KEY = 24;
    private static final HeaderField[] ONE_BYTE = new HeaderField[128];
    private static final byte[][][] KEY_BYTES = new byte[(MAX_KEY + 1) * 128][][];
    private static final HeaderField[][] KEY_FIELDS = new HeaderField[(MAX_KEY + 1) * 128][];

    static {
        List<List<byte[]>> bytes = new ArrayList<>();
        List<List<HeaderField>> fields = new ArrayList<>();
        for (int i = 0; i < KEY_BYTES.length; i++) {
            bytes.add(new ArrayList<>());
            fields.add(new ArrayList<>());
        }
        for (HeaderField f : values()) {
            for (String name : f.names) {
                byte[] b = name.getBytes(StandardCharsets.US_ASCII);
                if (b.length == 1) {
                    ONE_BYTE[b[0]] = f;
                } else {
                    bytes.get(bucket(b.length, b[0])).add(b);
                    fields.get(bucket(b.length, b[0])).add(f);
                }
            }
        }
        for (int i = 0; i < KEY_BYTES.length; i++) {
            KEY_BYTES[i] = bytes.get(i).toArray(new byte[0][]);
            KEY_FIELDS[i] = fields.get(i).toArray(new HeaderField[0]);
        }
    }

    private static int bucket(int length, byte first) {
        return length * 128 + first;
    }

    /** The field whose name is the {@code len} bytes at {@code at}, or {@code null} if unknown. */
    static HeaderField lookup(byte[] bytes, int at, int len) {
        if (len > MAX_KEY || len == 0 || bytes[at] < 0) {
            return null;
        }
        if (len == 1) {
            return ONE_BYTE[bytes[at]];
        }
        int b = bucket(len, bytes[at]);
        byte[][] candidates = KEY_BYTES[b];
        for (int i = 0; i < candidates.length; i++) {
            if (sameBytes(bytes, at, candidates[i])) {
                return KEY_FIELDS[b][i];
            }
        }
        return null;
    }

    /** Whether {@code bytes} starts at {@code at}; a plain loop, faster than a vectorised compare for a few bytes. */
    static boolean sameBytes(byte[] in, int at, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (in[at + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether values of this field tend to repeat from frame to frame on one connection (a
     * subscription's topic and id, an ack's status), so the decoder reuses the last String.
     */
    boolean repeats() {
        return switch (this) {
            case TOPIC, FILTER, OPTIONS, SUB_ID, SUB_IDS, QUERY_ID, STATUS, REASON, CLIENT_NAME, USER_ID, VERSION,
                    MESSAGE_TYPE -> true;
            default -> false;
        };
    }
}
