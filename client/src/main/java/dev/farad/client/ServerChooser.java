package dev.farad.client;

import dev.farad.client.exceptions.FaradException;

/**
 * Tells an {@link HAClient} which server to connect to next, and learns how each attempt went.
 *
 * <pre>{@code
 * client.setServerChooser(new DefaultServerChooser("tcp://a:9007/amps/json", "tcp://b:9007/amps/json"));
 * }</pre>
 *
 * <p>Called only from the thread running the client's connect loop ({@code connectAndLogon} or the
 * reconnect thread), one call at a time; implementations that are also changed from other threads
 * must be thread-safe.
 */
public interface ServerChooser {
    /**
     * The URI to try next, credentials included; {@code null} when no server is available, which
     * makes the client stop with a {@link dev.farad.client.exceptions.ConnectionException}.
     */
    String currentUri();

    /**
     * The attempt on {@code uri} failed (connect, logon, replay or resubscribe).
     *
     * @param failure why
     * @param uri the URI {@link #currentUri()} returned for the attempt
     */
    void reportFailure(FaradException failure, String uri);

    /** The client connected to {@code uri}, logged on and recovered. */
    void reportSuccess(String uri);
}
