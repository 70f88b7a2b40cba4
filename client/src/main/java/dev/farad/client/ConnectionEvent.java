package dev.farad.client;

/**
 * A change of connection state, as passed to {@link ConnectionStateListener}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param state the new state
 * @param uri the server URI the client is (or was) connected to, password removed; {@code null}
 *     before the first connect
 */
public record ConnectionEvent(ConnectionState state, String uri) {}
