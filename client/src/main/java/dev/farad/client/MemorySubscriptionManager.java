package dev.farad.client;

import dev.farad.client.exceptions.CommandException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers asynchronous subscriptions in memory and re-enters each after a reconnect, waiting for
 * its acknowledgement, in the order they were first placed. The default on {@link HAClient}.
 *
 * <p>A subscription the broker refuses when it is re-entered is never dropped silently: it goes to
 * the {@link FailedResubscribeHandler} (which decides whether to keep it), or, without one, to the
 * client's exception listener and is kept for the next reconnect. A connection failure during
 * resubscription is thrown, so the client reconnects and tries again. A subscription with a
 * bookmark is re-entered from {@link BookmarkStore#MOST_RECENT}, which an {@link HAClient} with a
 * bookmark store resolves to where the subscriber got to.
 *
 * <p>Thread-safe.
 */
public final class MemorySubscriptionManager implements SubscriptionManager {
    private final Map<String, Entry> subscriptions = new LinkedHashMap<>();
    private volatile FailedResubscribeHandler failedResubscribeHandler;

    private record Entry(MessageHandler handler, Command command) {}

    /** Sets the handler for refused resubscriptions; {@code null} reports them to the exception listener. */
    public void setFailedResubscribeHandler(FailedResubscribeHandler handler) {
        this.failedResubscribeHandler = handler;
    }

    @Override
    public synchronized void subscribe(MessageHandler handler, Command command) {
        Objects.requireNonNull(handler, "handler");
        String subId = Objects.requireNonNull(command.subId(), "command.subId");
        subscriptions.put(subId, new Entry(handler, command.copy()));
    }

    @Override
    public synchronized void unsubscribe(CommandId subId) {
        subscriptions.remove(subId.value());
    }

    @Override
    public synchronized void clear() {
        subscriptions.clear();
    }

    /** The ids of the subscriptions it would re-enter, in order. */
    public synchronized List<CommandId> subscriptionIds() {
        List<CommandId> ids = new ArrayList<>();
        for (String id : subscriptions.keySet()) {
            ids.add(new CommandId(id));
        }
        return ids;
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.farad.client.exceptions.ConnectionException if the connection fails meanwhile (the
     *     client then reconnects and resubscribes again)
     */
    @Override
    public void resubscribe(Client client) {
        List<Map.Entry<String, Entry>> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(subscriptions.entrySet());
        }
        for (Map.Entry<String, Entry> e : snapshot) {
            Command cmd = e.getValue().command().copy();
            if (cmd.bookmark() != null && client instanceof HAClient ha && ha.bookmarkStore() != null) {
                cmd.bookmark(BookmarkStore.MOST_RECENT);
            }
            try {
                client.executeAsync(cmd, e.getValue().handler());
            } catch (CommandException refused) {
                if (!keepAfterRefusal(client, e.getKey(), cmd, e.getValue().handler(), refused)) {
                    synchronized (this) {
                        subscriptions.remove(e.getKey(), e.getValue());
                    }
                }
            }
        }
    }

    private boolean keepAfterRefusal(Client client, String subId, Command cmd, MessageHandler handler,
            CommandException refused) {
        FailedResubscribeHandler h = failedResubscribeHandler;
        if (h == null) {
            client.reportException(refused);
            return true;
        }
        try {
            return h.onFailedResubscribe(new FailedResubscribe(new CommandId(subId), cmd, handler, refused));
        } catch (RuntimeException thrown) {
            client.reportException(thrown);
            return true;
        }
    }
}
