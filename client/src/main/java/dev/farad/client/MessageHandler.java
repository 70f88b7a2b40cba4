package dev.farad.client;

/**
 * Receives the messages of one command: deliveries of a subscription, SOW results, and the
 * acknowledgements the command explicitly requested.
 *
 * <p>Called on the client's dispatch thread ({@code farad-client-dispatch-<n>}), one message at a
 * time and in arrival order. It may publish, unsubscribe and use the {@code *Async} methods, but a
 * blocking call on the same client ({@code subscribe} with a timeout, {@code flush}, {@code logon},
 * iterating a {@link MessageStream}) throws {@link dev.farad.client.exceptions.UsageException}.
 * Whatever it throws goes to the client's {@link ExceptionListener}; delivery continues.
 */
@FunctionalInterface
public interface MessageHandler {
    /**
     * Handles one message.
     *
     * @param message the message; its {@code data} array belongs to the handler
     */
    void onMessage(Message message);
}
