package dev.farad.client;

import java.util.List;
import java.util.Objects;

/**
 * Round-robin over a fixed list of URIs: stays on a URI while it works, moves to the next one after
 * each failure.
 *
 * <p>Thread-safe.
 */
public final class DefaultServerChooser implements ServerChooser {
    private final List<String> uris;
    private int current;

    /**
     * @param uris the brokers, in order of preference; at least one
     * @throws IllegalArgumentException if {@code uris} is empty
     */
    public DefaultServerChooser(List<String> uris) {
        Objects.requireNonNull(uris, "uris");
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("uris must not be empty");
        }
        this.uris = List.copyOf(uris);
    }

    @Override
    public synchronized String currentUri() {
        return uris.get(current);
    }

    @Override
    public void reportSuccess(String uri) {
        // Stay on a URI that works.
    }

    @Override
    public synchronized void reportFailure(String uri, Throwable failure) {
        if (uris.get(current).equals(uri)) {
            current = (current + 1) % uris.size();
        }
    }

    /** The URIs, in order. */
    public List<String> uris() {
        return uris;
    }
}
