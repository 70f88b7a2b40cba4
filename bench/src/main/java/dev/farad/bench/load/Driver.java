package dev.farad.bench.load;

/**
 * One messaging system as the harness sees it: publishers and subscribers, each on its own
 * connection. Implementations document the client settings they use.
 */
public interface Driver extends AutoCloseable {
    /** The system's short name: {@code farad}, {@code nats}, {@code redis}, {@code mqtt}. */
    String system();

    /** Whether subscriptions can carry a content filter. */
    default boolean supportsFilters() {
        return false;
    }

    /** Opens a publisher on its own connection. */
    Publisher publisher(String topic);

    /**
     * Subscribes on a new connection and returns once the subscription is active at the server.
     *
     * @param filter a content filter, or {@code null}
     */
    Subscriber subscribe(String topic, String filter, Sink sink);

    /**
     * Subscribes {@code filters.length} times on one new connection, one subscription per filter,
     * all delivering to {@code sink}.
     */
    default Subscriber subscribeMany(String topic, String[] filters, Sink sink) {
        throw new UnsupportedOperationException(system() + " has no content filters");
    }

    /** Closes whatever the driver still holds. */
    @Override
    void close();

    /** Sends messages on one connection. Used by one thread. */
    interface Publisher extends AutoCloseable {
        /**
         * Publishes {@code payload}; may return before it is on the wire. The caller may reuse
         * the array after this returns: drivers whose client keeps a reference copy it.
         */
        void publish(byte[] payload);

        /**
         * Pushes out what earlier publishes buffered in the client; called when the harness waits
         * (window full, paced send). A no-op for clients that write on their own.
         */
        default void push() {}

        @Override
        void close();
    }

    /** One subscriber connection. */
    interface Subscriber extends AutoCloseable {
        @Override
        void close();
    }

    /** Receives payloads; called on the client's delivery thread, one thread per subscriber. */
    @FunctionalInterface
    interface Sink {
        void onMessage(byte[] payload);
    }
}
