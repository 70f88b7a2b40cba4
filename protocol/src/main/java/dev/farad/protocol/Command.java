package dev.farad.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Every command a client may send and every message type the broker sends, with its wire name.
 *
 * <p>Wire names are matched exactly (case-sensitive), and {@code p} is accepted for {@code
 * publish}. A name the protocol does not know decodes to {@link #UNKNOWN}; the raw name stays in
 * {@link Header#commandName()} so the broker can say which command it did not know.
 *
 * <p>Thread-safe (an enum).
 */
public enum Command {
    LOGON("logon", true),
    PUBLISH("p", true),
    DELTA_PUBLISH("delta_publish", true),
    SUBSCRIBE("subscribe", true),
    DELTA_SUBSCRIBE("delta_subscribe", true),
    SOW("sow", true),
    SOW_AND_SUBSCRIBE("sow_and_subscribe", true),
    SOW_AND_DELTA_SUBSCRIBE("sow_and_delta_subscribe", true),
    SOW_DELETE("sow_delete", true),
    UNSUBSCRIBE("unsubscribe", true),
    HEARTBEAT("heartbeat", true),
    FLUSH("flush", true),
    ACK("ack", false),
    OOF("oof", false),
    GROUP_BEGIN("group_begin", false),
    GROUP_END("group_end", false),
    UNKNOWN("unknown", false);

    private final String wireName;
    private final byte[] wireBytes;
    private final boolean clientCommand;

    Command(String wireName, boolean clientCommand) {
        this.wireName = wireName;
        this.wireBytes = wireName.getBytes(StandardCharsets.US_ASCII);
        this.clientCommand = clientCommand;
    }

    /** The name this command has on the wire (the short form where one exists). */
    public String wireName() {
        return wireName;
    }

    byte[] wireBytes() {
        return wireBytes;
    }

    /** Whether a client may send this command; the others are sent only by the broker. */
    public boolean isClientCommand() {
        return clientCommand;
    }

    /** Whether this command opens a subscription that stays after its acknowledgement. */
    public boolean isSubscribe() {
        return this == SUBSCRIBE || this == DELTA_SUBSCRIBE || this == SOW_AND_SUBSCRIBE
                || this == SOW_AND_DELTA_SUBSCRIBE;
    }

    /** Whether this command runs a query of the State of the World. */
    public boolean isQuery() {
        return this == SOW || this == SOW_AND_SUBSCRIBE || this == SOW_AND_DELTA_SUBSCRIBE;
    }

    /** Whether this command writes data (and so may carry a publisher sequence number). */
    public boolean isWrite() {
        return this == PUBLISH || this == DELTA_PUBLISH || this == SOW_DELETE;
    }

    /**
     * Looks up a command by its wire name; {@code publish} and {@code p} both give {@link
     * #PUBLISH}.
     *
     * @return the command, or {@link #UNKNOWN} when the name is not a Farad command
     */
    public static Command fromWire(String name) {
        if (name == null) {
            return UNKNOWN;
        }
        switch (name) {
            case "publish":
                return PUBLISH;
            case "unknown":
                return UNKNOWN;
            default:
                for (Command c : values()) {
                    if (c.wireName.equals(name)) {
                        return c;
                    }
                }
                return UNKNOWN;
        }
    }
}
