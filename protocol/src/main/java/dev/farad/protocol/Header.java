package dev.farad.protocol;

/**
 * The header of one frame: the flat JSON object in front of the payload.
 *
 * <p>Accessors follow the record style ({@code topic()}); each has a fluent setter of the same name
 * ({@code topic("orders")}) so that encoders build headers without intermediate maps. Absent text
 * fields are {@code null}; absent numeric fields are {@link #ABSENT} ({@code -1}), because every
 * numeric field of the protocol is non-negative.
 *
 * <p>Decoding accepts both the long and the short key of each field ({@code command} or {@code c},
 * {@code topic} or {@code t}, ...); encoding writes the short forms. See {@link HeaderCodec}.
 *
 * <p>Not thread-safe: a header belongs to one frame and one thread at a time.
 */
public final class Header {
    /** The value of a numeric field that is not present. */
    public static final long ABSENT = -1;

    private Command command = Command.UNKNOWN;
    private String commandName;
    private String commandId;
    private String topic;
    private String filter;
    private String options;
    private int ackTypes;
    private AckType ackType;
    private String subId;
    private String subIds;
    private String queryId;
    private long sequence = ABSENT;
    private String bookmark;
    private String sowKey;
    private String sowKeys;
    private String correlationId;
    private long expiration = ABSENT;
    private long batchSize = ABSENT;
    private long topN = ABSENT;
    private String orderBy;
    private long messageLength = ABSENT;
    private String timestamp;
    private String status;
    private String reason;
    private String clientName;
    private String userId;
    private String password;
    private String version;
    private String messageType;
    private long matches = ABSENT;
    private long topicMatches = ABSENT;
    private long recordsReturned = ABSENT;
    private long recordsDeleted = ABSENT;
    private long recordsInserted = ABSENT;
    private long recordsUpdated = ABSENT;

    /** The command, or {@link Command#UNKNOWN} if absent or not a Farad command. */
    public Command command() {
        return command;
    }

    /** Sets the command (and its wire name). */
    public Header command(Command c) {
        this.command = c;
        this.commandName = c.wireName();
        return this;
    }

    /** The command name exactly as it appeared on the wire, or {@code null} if absent. */
    public String commandName() {
        return commandName;
    }

    Header commandName(String name) {
        this.commandName = name;
        this.command = Command.fromWire(name);
        return this;
    }

    public String commandId() {
        return commandId;
    }

    public Header commandId(String v) {
        this.commandId = v;
        return this;
    }

    public String topic() {
        return topic;
    }

    public Header topic(String v) {
        this.topic = v;
        return this;
    }

    public String filter() {
        return filter;
    }

    public Header filter(String v) {
        this.filter = v;
        return this;
    }

    public String options() {
        return options;
    }

    public Header options(String v) {
        this.options = v;
        return this;
    }

    /** The requested ack types as an {@link AckType} mask (0 when none were requested). */
    public int ackTypes() {
        return ackTypes;
    }

    public Header ackTypes(int mask) {
        this.ackTypes = mask;
        return this;
    }

    /** On an {@code ack} message: which ack it is; otherwise {@code null}. */
    public AckType ackType() {
        return ackType;
    }

    /** Sets which ack this is (also the mask, so both views agree). */
    public Header ackType(AckType t) {
        this.ackType = t;
        this.ackTypes = t == null ? 0 : t.bit();
        return this;
    }

    public String subId() {
        return subId;
    }

    public Header subId(String v) {
        this.subId = v;
        return this;
    }

    /** On deliveries: the comma list of subscription ids the message matched. */
    public String subIds() {
        return subIds;
    }

    public Header subIds(String v) {
        this.subIds = v;
        return this;
    }

    public String queryId() {
        return queryId;
    }

    public Header queryId(String v) {
        this.queryId = v;
        return this;
    }

    public long sequence() {
        return sequence;
    }

    public Header sequence(long v) {
        this.sequence = v;
        return this;
    }

    public String bookmark() {
        return bookmark;
    }

    public Header bookmark(String v) {
        this.bookmark = v;
        return this;
    }

    public String sowKey() {
        return sowKey;
    }

    public Header sowKey(String v) {
        this.sowKey = v;
        return this;
    }

    public String sowKeys() {
        return sowKeys;
    }

    public Header sowKeys(String v) {
        this.sowKeys = v;
        return this;
    }

    public String correlationId() {
        return correlationId;
    }

    public Header correlationId(String v) {
        this.correlationId = v;
        return this;
    }

    /** SOW record lifetime in seconds. */
    public long expiration() {
        return expiration;
    }

    public Header expiration(long v) {
        this.expiration = v;
        return this;
    }

    public long batchSize() {
        return batchSize;
    }

    public Header batchSize(long v) {
        this.batchSize = v;
        return this;
    }

    public long topN() {
        return topN;
    }

    public Header topN(long v) {
        this.topN = v;
        return this;
    }

    public String orderBy() {
        return orderBy;
    }

    public Header orderBy(String v) {
        this.orderBy = v;
        return this;
    }

    /** Length of one record's data inside a {@code sow} batch. */
    public long messageLength() {
        return messageLength;
    }

    public Header messageLength(long v) {
        this.messageLength = v;
        return this;
    }

    public String timestamp() {
        return timestamp;
    }

    public Header timestamp(String v) {
        this.timestamp = v;
        return this;
    }

    /** On acks: {@code success} or {@code failure}. */
    public String status() {
        return status;
    }

    public Header status(String v) {
        this.status = v;
        return this;
    }

    /** On failure acks: one of the {@link Reason} strings. */
    public String reason() {
        return reason;
    }

    public Header reason(String v) {
        this.reason = v;
        return this;
    }

    public String clientName() {
        return clientName;
    }

    public Header clientName(String v) {
        this.clientName = v;
        return this;
    }

    public String userId() {
        return userId;
    }

    public Header userId(String v) {
        this.userId = v;
        return this;
    }

    /** The logon password; never logged. */
    public String password() {
        return password;
    }

    public Header password(String v) {
        this.password = v;
        return this;
    }

    public String version() {
        return version;
    }

    public Header version(String v) {
        this.version = v;
        return this;
    }

    public String messageType() {
        return messageType;
    }

    public Header messageType(String v) {
        this.messageType = v;
        return this;
    }

    public long matches() {
        return matches;
    }

    public Header matches(long v) {
        this.matches = v;
        return this;
    }

    public long topicMatches() {
        return topicMatches;
    }

    public Header topicMatches(long v) {
        this.topicMatches = v;
        return this;
    }

    public long recordsReturned() {
        return recordsReturned;
    }

    public Header recordsReturned(long v) {
        this.recordsReturned = v;
        return this;
    }

    public long recordsDeleted() {
        return recordsDeleted;
    }

    public Header recordsDeleted(long v) {
        this.recordsDeleted = v;
        return this;
    }

    public long recordsInserted() {
        return recordsInserted;
    }

    public Header recordsInserted(long v) {
        this.recordsInserted = v;
        return this;
    }

    public long recordsUpdated() {
        return recordsUpdated;
    }

    public Header recordsUpdated(long v) {
        this.recordsUpdated = v;
        return this;
    }

    /** Whether this is an ack with status {@code failure}. */
    public boolean isFailure() {
        return "failure".equals(status);
    }

    /** A readable form for logs and error messages; never shows the password. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{c=").append(commandName);
        appendIf(sb, "cid", commandId);
        appendIf(sb, "t", topic);
        appendIf(sb, "sub_id", subId);
        appendIf(sb, "query_id", queryId);
        appendIf(sb, "a", ackType != null ? ackType.wireName() : AckType.formatMask(ackTypes));
        appendIf(sb, "status", status);
        appendIf(sb, "reason", reason);
        if (sequence != ABSENT) {
            sb.append(", s=").append(sequence);
        }
        appendIf(sb, "bm", bookmark);
        appendIf(sb, "client_name", clientName);
        return sb.append('}').toString();
    }

    private static void appendIf(StringBuilder sb, String key, String value) {
        if (value != null) {
            sb.append(", ").append(key).append('=').append(value);
        }
    }
}
