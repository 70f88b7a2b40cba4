package dev.farad.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers asynchronous subscriptions in memory, keyed by sub id, and re-enters them in the order
 * they were first made. The default subscription manager of {@link HAClient}.
 *
 * <p>Thread-safe.
 */
public final class MemorySubscriptionManager implements SubscriptionManager {
    private record Entry(MessageHandler handler, Command command) {}

    // Guarded by this.
    private final Map<String, Entry> subscriptions = new LinkedHashMap<>();

    @Override
    public synchronized void subscribe(MessageHandler handler, Command command) {
        String id = command.subId() != null ? command.subId() : command.commandId();
        if (id != null) {
            subscriptions.put(id, new Entry(handler, command.copy()));
        }
    }

    @Override
    public synchronized void unsubscribe(CommandId subId) {
        subscriptions.remove(subId.value());
    }

    @Override
    public synchronized void clear() {
        subscriptions.clear();
    }

    /** How many subscriptions it holds. */
    public synchronized int size() {
        return subscriptions.size();
    }

    /**
     * Re-enters every subscription with its original sub id.
     *
     * @throws dev.farad.client.exceptions.FaradException the first failure; the caller retries
     */
    @Override
    public void resubscribe(Client client) {
        List<Entry> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(subscriptions.values());
        }
        for (Entry e : snapshot) {
            client.executeAsync(e.command().copy().commandId(null), e.handler());
        }
    }
}
