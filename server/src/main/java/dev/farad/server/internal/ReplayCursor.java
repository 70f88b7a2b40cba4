package dev.farad.server.internal;

import dev.farad.store.LogReader;

/**
 * A bookmark subscription's replay of the transaction log, written in chunks as its connection
 * drains (like {@link QueryCursor}), so replaying a big log neither blocks the engine nor buffers
 * without bound. While it runs, live deliveries of logged messages skip the subscription; when the
 * reader catches up with the durable end of the log, the subscription goes live from the last
 * sequence replayed, so nothing is missed or sent twice.
 */
final class ReplayCursor {
    final Subscription subscription;
    final LogReader reader;
    final String commandId;
    final int ackTypes;
    /** Highest log sequence read so far. */
    long last;

    ReplayCursor(Subscription subscription, LogReader reader, String commandId, int ackTypes, long after) {
        this.subscription = subscription;
        this.reader = reader;
        this.commandId = commandId;
        this.ackTypes = ackTypes;
        this.last = after;
    }
}
