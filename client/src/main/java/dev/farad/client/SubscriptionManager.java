package dev.farad.client;

/**
 * Remembers asynchronous subscriptions so they can be re-entered after a reconnect (the HA plug
 * point for resubscription). {@link MessageStream} subscriptions are not managed.
 *
 * <p>When one is set ({@link Client#setSubscriptionManager(SubscriptionManager)}), the client calls
 * {@link #subscribe} after each successful {@code executeAsync} of a subscription, {@link
 * #unsubscribe} when one ends, and after every logon calls {@link #resubscribe} and then reports
 * {@link ConnectionState#RESUBSCRIBED}.
 *
 * <p>Implementations must be thread-safe; {@code resubscribe} runs on the thread that logged on.
 */
public interface SubscriptionManager {
    /**
     * Records a subscription; {@code command} is the client's own copy. Also called for the
     * subscriptions {@link #resubscribe} re-enters, so implementations key by sub id: a second call
     * with the same sub id replaces the first.
     */
    void subscribe(MessageHandler handler, Command command);

    /** Forgets a subscription. */
    void unsubscribe(CommandId subId);

    /** Forgets every subscription. */
    void clear();

    /** Re-enters every recorded subscription on {@code client}, which is logged on. */
    void resubscribe(Client client);
}
