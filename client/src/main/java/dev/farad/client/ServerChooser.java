package dev.farad.client;

/**
 * Chooses which broker an {@link HAClient} connects to next, and learns how each attempt went.
 *
 * <p>Called on the thread that connects (the application thread in {@code connectAndLogon()}, the
 * receive thread of the lost connection when reconnecting). Implementations must be thread-safe.
 */
public interface ServerChooser {
    /** The URI to try next; {@code null} when there is none. */
    String currentUri();

    /** The attempt on {@code uri} succeeded. */
    void reportSuccess(String uri);

    /** The attempt on {@code uri} failed with {@code failure}. */
    void reportFailure(String uri, Throwable failure);
}
