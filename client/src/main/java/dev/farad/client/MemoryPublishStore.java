package dev.farad.client;

/**
 * A publish store in memory: protects writes against the loss of a connection or a broker, not
 * against the client process ending (use {@link FilePublishStore} for that).
 *
 * <pre>{@code
 * client.setPublishStore(new MemoryPublishStore(100_000, BackPressure.block(Duration.ofSeconds(30))));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MemoryPublishStore extends AbstractPublishStore {
    /** A store without a bound. */
    public MemoryPublishStore() {
        this(0, BackPressure.fail());
    }

    /**
     * A bounded store.
     *
     * @param capacity the most unpersisted writes held; {@code 0} for no bound
     * @param backPressure what a write to a full store does
     */
    public MemoryPublishStore(int capacity, BackPressure backPressure) {
        super(capacity, backPressure);
    }

    @Override
    protected void appended(StoredPublish write) {
        // nothing beyond memory
    }

    @Override
    protected void discarded(long sequence) {
        // nothing beyond memory
    }

    @Override
    public String toString() {
        return "MemoryPublishStore{held=" + unpersistedCount() + "}";
    }
}
