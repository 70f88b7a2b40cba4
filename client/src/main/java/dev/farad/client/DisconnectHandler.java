package dev.farad.client;

/**
 * Decides what to do when a logged-on connection is lost unexpectedly: typically reconnect (to the
 * same or the next server), log on, and re-enter subscriptions.
 *
 * <p>Runs on the thread that detected the loss: the receive thread of the dead connection (read
 * error, heartbeat miss, broker closed the socket) or the application thread whose send failed.
 * Blocking calls on the client are allowed here. What it throws goes to the {@link
 * ExceptionListener}. If the client is still not connected when it returns, the client reports
 * {@code SHUTDOWN} and callers awaiting a reply get {@link
 * dev.farad.client.exceptions.DisconnectedException}.
 *
 * <p>Not called on {@code close()} or when a {@code logon()} in progress fails.
 */
@FunctionalInterface
public interface DisconnectHandler {
    /**
     * Handles the loss of the connection.
     *
     * @param client the client that lost its connection
     * @throws Exception any failure; it is passed to the exception listener
     */
    void onDisconnect(Client client) throws Exception;
}
