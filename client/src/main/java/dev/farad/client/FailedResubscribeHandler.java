package dev.farad.client;

/**
 * Decides what happens to a subscription the broker refused when {@link MemorySubscriptionManager}
 * re-entered it after a reconnect (for example: the filter or the entitlement changed on a
 * different server).
 *
 * <p>Called on the thread that recovers the connection (the reconnect thread); must not block on
 * the client. What it throws goes to the exception listener and the subscription is kept.
 */
@FunctionalInterface
public interface FailedResubscribeHandler {
    /**
     * Handles one refused resubscription.
     *
     * @return {@code true} to keep the subscription and try again after the next reconnect, {@code
     *     false} to forget it
     */
    boolean onFailedResubscribe(FailedResubscribe failure);
}
