package dev.farad.client;

/**
 * Observes connection state changes ({@link ConnectionState}).
 *
 * <p>Called on the client's dispatch thread, in exactly the order the states happened, never while
 * a client lock is held. It must not make blocking calls on the client (they throw {@link
 * dev.farad.client.exceptions.UsageException}); what it throws goes to the {@link
 * ExceptionListener}.
 */
@FunctionalInterface
public interface ConnectionStateListener {
    /** Called once per state change. */
    void onConnectionStateChanged(ConnectionEvent event);
}
