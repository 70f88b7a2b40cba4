package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Records connection states for assertions: {@code awaitStates(CONNECTED, LOGGED_ON)} waits until
 * exactly that sequence was recorded. Fails if a state arrives on any thread but the client's
 * dispatch thread (where no client lock is held).
 *
 * <p>Thread-safe. Reaches it-tests through the client test-jar.
 */
public final class RecordingConnectionListener implements ConnectionStateListener {
    private final List<ConnectionState> states = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    @Override
    public synchronized void onConnectionStateChanged(ConnectionEvent event) {
        String thread = Thread.currentThread().getName();
        if (!thread.startsWith("farad-client-dispatch-")) {
            violations.add(event.state() + " delivered on " + thread);
        }
        states.add(event.state());
    }

    /** The states recorded so far. */
    public synchronized List<ConnectionState> states() {
        return new ArrayList<>(states);
    }

    /** Forgets the states recorded so far. */
    public synchronized void clear() {
        states.clear();
    }

    /** Waits up to 5 s until exactly {@code expected} has been recorded, in order. */
    public void awaitStates(ConnectionState... expected) {
        awaitStates(Duration.ofSeconds(5), expected);
    }

    /** Waits up to {@code timeout} until exactly {@code expected} has been recorded, in order. */
    public void awaitStates(Duration timeout, ConnectionState... expected) {
        await().atMost(timeout).untilAsserted(() -> assertThat(states()).containsExactly(expected));
        synchronized (this) {
            assertThat(violations).isEmpty();
        }
    }
}
