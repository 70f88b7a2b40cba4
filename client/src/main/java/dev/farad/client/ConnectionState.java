package dev.farad.client;

/**
 * The states a client reports to its {@link ConnectionStateListener}s, in the order of the
 * error-handling chapter.
 *
 * <p>A plain {@link Client} reports {@code CONNECTED} when {@code connect()} succeeds, then on
 * {@code logon()} {@code LOGGED_ON}, then {@code HEARTBEAT_INITIATED} if a heartbeat is set, then
 * {@code PUBLISH_REPLAYED} if a publish store is set and {@code RESUBSCRIBED} if a subscription
 * manager is set. {@code close()} reports {@code DISCONNECTED} (if connected) then {@code SHUTDOWN}.
 * An unexpected loss reports {@code DISCONNECTED}, runs the disconnect handler, and reports {@code
 * SHUTDOWN} if the client is still not connected afterwards. States after {@code CONNECTED} are not
 * reported if the connection is already gone when they would be.
 *
 * <p>Thread-safe (an enum).
 */
public enum ConnectionState {
    /** A socket to the broker is open; {@code connect()} succeeded. */
    CONNECTED,
    /** The broker accepted the logon. Recovery (replay, resubscribe) may follow. */
    LOGGED_ON,
    /** The client asked the broker to start heartbeating; only when a heartbeat is set. */
    HEARTBEAT_INITIATED,
    /** The publish store has been replayed; only when a publish store is set. */
    PUBLISH_REPLAYED,
    /** The subscription manager re-entered its subscriptions; only when one is set. Recovery is done. */
    RESUBSCRIBED,
    /** The connection is gone. */
    DISCONNECTED,
    /** The client is closed, or gave up reconnecting. */
    SHUTDOWN,
    /** Not delivered by Farad's clients; a default for custom implementations. */
    UNKNOWN
}
