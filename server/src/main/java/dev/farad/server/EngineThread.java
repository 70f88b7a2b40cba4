package dev.farad.server;

/**
 * Where the broker's engine (routing, State of the World, log appends) runs; see
 * {@link BrokerConfig#engineThread()} and {@code docs/THREADING.md}.
 */
public enum EngineThread {
    /**
     * {@link #IO_THREAD} when the broker has one I/O thread, else {@link #OWN}: a one-thread broker
     * on a small machine, routing and socket I/O on separate cores on a larger one.
     */
    AUTO,
    /** A thread of its own, {@code farad-engine-0}, fed by the I/O threads through a queue. */
    OWN,
    /**
     * Tasks on the first I/O thread: no hand-off and no wake-up between reading a message and
     * routing it, and writes to that thread's connections go straight to the sockets.
     */
    IO_THREAD
}
