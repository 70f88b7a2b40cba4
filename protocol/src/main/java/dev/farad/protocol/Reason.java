package dev.farad.protocol;

/**
 * The {@code reason} strings the broker puts on failure acknowledgements and logs when it closes a
 * connection. Clients map them to exception types; the strings are part of the protocol and never
 * change once published.
 *
 * <p>Constants only; thread-safe.
 */
public final class Reason {
    private Reason() {}

    // Failure reasons on acks.
    public static final String AUTH_FAILURE = "auth failure";
    public static final String BAD_FILTER = "bad filter";
    public static final String BAD_SOW_KEY = "bad sow key";
    public static final String BAD_REGEX_TOPIC = "bad regex topic";
    public static final String DUPLICATE_LOGON = "duplicate logon attempt";
    public static final String INVALID_BOOKMARK = "invalid bookmark";
    public static final String INVALID_MESSAGE_TYPE = "invalid message type";
    public static final String INVALID_OPTIONS = "invalid options";
    public static final String INVALID_ORDER_BY = "invalid order by";
    public static final String INVALID_SUBID = "invalid subid";
    public static final String INVALID_TOPIC = "invalid topic";
    public static final String LOGON_REQUIRED = "logon required";
    public static final String NAME_IN_USE = "name in use";
    public static final String NOT_ENTITLED = "not entitled";
    public static final String NO_CLIENT_NAME = "no client name";
    public static final String NO_TOPIC = "no topic";
    public static final String NO_TOPIC_OR_FILTER = "no topic or filter";
    public static final String NO_FILTER_OR_BOOKMARK = "no filter or bookmark";
    public static final String NOT_SUPPORTED = "not supported";
    public static final String SUBID_IN_USE = "subid in use";
    public static final String SOW_STORE_FAILED = "sow store failed";
    public static final String TX_STORE_FAILURE = "tx store failure";
    public static final String SUBSCRIPTION_ALREADY_EXISTS = "subscription already exists";
    public static final String DUPLICATE = "duplicate";
    public static final String UNKNOWN_COMMAND = "unknown command";
    public static final String SUBSCRIPTION_LIMIT = "subscription limit reached";
    public static final String QUERY_LIMIT = "query limit reached";

    /** Success-side reason on a logon ack when the broker checks no credentials. */
    public static final String AUTHENTICATION_DISABLED = "authentication disabled";

    // Reasons the broker logs when it closes a connection.
    public static final String DISCONNECT_CONNECTION_CLOSED = "connection closed";
    public static final String DISCONNECT_NAME_IN_USE = "name in use";
    public static final String DISCONNECT_HEARTBEAT = "heartbeat";
    public static final String DISCONNECT_SLOW_CLIENT = "slow client";
    public static final String DISCONNECT_MALFORMED = "malformed frame";
    public static final String DISCONNECT_FRAME_TOO_LONG = "frame too long";
    public static final String DISCONNECT_AUTH = "auth";
    public static final String DISCONNECT_LOGON_TIMEOUT = "logon timeout";
    public static final String DISCONNECT_SHUTDOWN = "broker shutdown";
}
