package dev.farad.client;

import dev.farad.client.exceptions.DisconnectedException;
import dev.farad.client.exceptions.FaradException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of server URIs tried round robin: the client stays on the current URI while it
 * works; a failed attempt moves to the next one, wrapping around. A {@link DisconnectedException}
 * (the connection dropped after it was made) does not move on: the server was reachable, so the
 * next attempt goes to it again (after the delay strategy's pause).
 *
 * <pre>{@code
 * ServerChooser chooser = new DefaultServerChooser(primary, secondary);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DefaultServerChooser implements ServerChooser {
    private final List<String> uris = new ArrayList<>();
    // Guarded by this.
    private int index;

    /** A chooser over {@code uris}, in order. */
    public DefaultServerChooser(String... uris) {
        this(List.of(uris));
    }

    /** A chooser over {@code uris}, in order. */
    public DefaultServerChooser(List<String> uris) {
        for (String uri : uris) {
            add(uri);
        }
    }

    /** Appends a URI to the list. */
    public synchronized void add(String uri) {
        uris.add(Objects.requireNonNull(uri, "uri"));
    }

    /** The URIs, in order. */
    public synchronized List<String> uris() {
        return List.copyOf(uris);
    }

    @Override
    public synchronized String currentUri() {
        return uris.isEmpty() ? null : uris.get(index);
    }

    @Override
    public synchronized void reportFailure(FaradException failure, String uri) {
        if (failure instanceof DisconnectedException || uris.isEmpty()) {
            return;
        }
        index = (index + 1) % uris.size();
    }

    @Override
    public void reportSuccess(String uri) {
        // Stay on a server that works.
    }

    @Override
    public synchronized String toString() {
        return "DefaultServerChooser" + uris + "@" + index;
    }
}
