package dev.farad.client;

import dev.farad.client.exceptions.CommandException;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Header;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A command to send with {@link Client#execute(Command)} (results as a {@link MessageStream}) or
 * {@link Client#executeAsync(Command, MessageHandler)} (results to a handler). Every header field
 * the protocol knows can be set; unset fields are not sent.
 *
 * <pre>{@code
 * CommandId id = client.executeAsync(new Command("subscribe").topic("orders")
 *         .filter("/qty > 100").subId("big-orders").timeout(Duration.ofSeconds(5)), handler);
 * }</pre>
 *
 * <p>The client fills in what is missing: a command id, the subscription id (defaults to the
 * command id) for subscriptions, the query id for queries, and the {@code processed} (and, for
 * queries, {@code completed}) acknowledgement it waits for. Acks added with {@link
 * #addAckType(AckType)} are delivered to the handler or stream as well.
 *
 * <p>Not thread-safe: build and execute on one thread. The client copies what it sends, so a
 * command may be reused after {@code execute} returns.
 */
public final class Command {
    private final dev.farad.protocol.Command command;
    private String commandId;
    private String topic;
    private String filter;
    private String options;
    private String subId;
    private String queryId;
    private String bookmark;
    private String sowKey;
    private String sowKeys;
    private String correlationId;
    private long expiration = Header.ABSENT;
    private long batchSize = Header.ABSENT;
    private long topN = Header.ABSENT;
    private String orderBy;
    private long sequence = Header.ABSENT;
    private int ackTypes;
    private byte[] data;
    private Duration timeout;

    /**
     * Starts a command.
     *
     * @param name the command: {@code publish}, {@code delta_publish}, {@code subscribe}, {@code
     *     delta_subscribe}, {@code sow}, {@code sow_and_subscribe}, {@code sow_and_delta_subscribe},
     *     {@code sow_delete}, {@code unsubscribe}, {@code flush}, {@code heartbeat}
     * @throws CommandException if the name is unknown, or is a message only the broker sends
     *     ({@code ack}, {@code oof}, {@code group_begin}, {@code group_end}) or {@code logon} (use
     *     {@link Client#logon()})
     */
    public Command(String name) {
        Objects.requireNonNull(name, "name");
        dev.farad.protocol.Command c = dev.farad.protocol.Command.fromWire(name);
        if (!c.isClientCommand() || c == dev.farad.protocol.Command.LOGON) {
            throw new CommandException("command '" + name + "' can not be sent directly to the broker",
                    null, null);
        }
        this.command = c;
    }

    private Command(Command o) {
        this.command = o.command;
        this.commandId = o.commandId;
        this.topic = o.topic;
        this.filter = o.filter;
        this.options = o.options;
        this.subId = o.subId;
        this.queryId = o.queryId;
        this.bookmark = o.bookmark;
        this.sowKey = o.sowKey;
        this.sowKeys = o.sowKeys;
        this.correlationId = o.correlationId;
        this.expiration = o.expiration;
        this.batchSize = o.batchSize;
        this.topN = o.topN;
        this.orderBy = o.orderBy;
        this.sequence = o.sequence;
        this.ackTypes = o.ackTypes;
        this.data = o.data == null ? null : o.data.clone();
        this.timeout = o.timeout;
    }

    /** A deep copy (the data array is copied too). */
    public Command copy() {
        return new Command(this);
    }

    /** The command's name in long form, for example {@code subscribe} or {@code publish}. */
    public String name() {
        return command == dev.farad.protocol.Command.PUBLISH ? "publish" : command.wireName();
    }

    /** The protocol command. */
    public dev.farad.protocol.Command protocolCommand() {
        return command;
    }

    /** The command id, or {@code null} to let the client assign one. */
    public String commandId() {
        return commandId;
    }

    /** Sets the command id; normally left to the client. */
    public Command commandId(String v) {
        this.commandId = v;
        return this;
    }

    /** The topic (or topic regular expression), or {@code null}. */
    public String topic() {
        return topic;
    }

    /** Sets the topic, or a regular expression over topic names for subscriptions and queries. */
    public Command topic(String v) {
        this.topic = v;
        return this;
    }

    /** The content filter, or {@code null}. */
    public String filter() {
        return filter;
    }

    /** Sets the content filter, for example {@code /qty > 100}. */
    public Command filter(String v) {
        this.filter = v;
        return this;
    }

    /** The comma list of options, or {@code null}. */
    public String options() {
        return options;
    }

    /** Sets the options, a comma list such as {@code replace,oof}. */
    public Command options(String v) {
        this.options = v;
        return this;
    }

    /** The subscription id, or {@code null} to default it to the command id. */
    public String subId() {
        return subId;
    }

    /** Sets the subscription id (for {@code unsubscribe}: one id, a comma list or {@code all}). */
    public Command subId(String v) {
        this.subId = v;
        return this;
    }

    /** The query id, or {@code null} to default it to the command id. */
    public String queryId() {
        return queryId;
    }

    /** Sets the query id. */
    public Command queryId(String v) {
        this.queryId = v;
        return this;
    }

    /** The bookmark, or {@code null}. */
    public String bookmark() {
        return bookmark;
    }

    /** Sets the bookmark (replay start point, or bookmarks to acknowledge). */
    public Command bookmark(String v) {
        this.bookmark = v;
        return this;
    }

    /** The SOW key, or {@code null}. */
    public String sowKey() {
        return sowKey;
    }

    /** Sets an explicit SOW key for a publish. */
    public Command sowKey(String v) {
        this.sowKey = v;
        return this;
    }

    /** The comma list of SOW keys, or {@code null}. */
    public String sowKeys() {
        return sowKeys;
    }

    /** Sets the SOW keys to query or delete, a comma list. */
    public Command sowKeys(String v) {
        this.sowKeys = v;
        return this;
    }

    /** The correlation id, or {@code null}. */
    public String correlationId() {
        return correlationId;
    }

    /** Sets the correlation id passed on to subscribers. */
    public Command correlationId(String v) {
        this.correlationId = v;
        return this;
    }

    /** The expiration in seconds, or {@code -1} if unset. */
    public long expiration() {
        return expiration;
    }

    /** Sets the SOW record lifetime in seconds. */
    public Command expiration(long seconds) {
        this.expiration = seconds;
        return this;
    }

    /** The batch size, or {@code -1} if unset. */
    public long batchSize() {
        return batchSize;
    }

    /** Sets how many SOW records the broker puts in one message. */
    public Command batchSize(long v) {
        this.batchSize = v;
        return this;
    }

    /** The top-N limit, or {@code -1} if unset. */
    public long topN() {
        return topN;
    }

    /** Sets the maximum number of records a query returns. */
    public Command topN(long v) {
        this.topN = v;
        return this;
    }

    /** The order-by clause, or {@code null}. */
    public String orderBy() {
        return orderBy;
    }

    /** Sets the order of query results, for example {@code /price DESC}. */
    public Command orderBy(String v) {
        this.orderBy = v;
        return this;
    }

    /** The publisher sequence, or {@code -1} if unset. */
    public long sequence() {
        return sequence;
    }

    /** Sets the publisher sequence ({@code s}); normally left to the publish store. */
    public Command sequence(long v) {
        this.sequence = v;
        return this;
    }

    /** The acknowledgement types requested explicitly, as an {@link AckType} bit mask. */
    public int ackTypes() {
        return ackTypes;
    }

    /** Requests one more acknowledgement type; it will be delivered to the handler or stream. */
    public Command addAckType(AckType type) {
        this.ackTypes |= type.bit();
        return this;
    }

    /** Replaces the requested acknowledgement types with a comma list such as {@code processed,completed}. */
    public Command ackTypes(String list) {
        this.ackTypes = AckType.parseMask(list);
        return this;
    }

    /** The payload, or {@code null}. The array is the command's own; do not modify it. */
    public byte[] data() {
        return data;
    }

    /** Sets the payload; the command keeps the array (do not modify it afterwards). */
    public Command data(byte[] v) {
        this.data = v;
        return this;
    }

    /** Sets the payload as UTF-8 text. */
    public Command data(String v) {
        this.data = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** The timeout, or {@code null} for the client's default. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Sets how long {@code execute}/{@code executeAsync} wait for the {@code processed}
     * acknowledgement; {@link Duration#ZERO} waits without limit. On expiry the client sends an
     * {@code unsubscribe} for the command and throws {@link
     * dev.farad.client.exceptions.TimedOutException}.
     */
    public Command timeout(Duration v) {
        if (v != null && v.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0 but was " + v);
        }
        this.timeout = v;
        return this;
    }

    @Override
    public String toString() {
        return "Command{" + name() + (commandId == null ? "" : ", cid=" + commandId)
                + (topic == null ? "" : ", topic=" + topic) + (subId == null ? "" : ", sub_id=" + subId)
                + '}';
    }
}
