package dev.farad.server.internal;

import dev.farad.store.SowRecord;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A SOW query being written to one connection. The result is a snapshot taken when the query
 * arrived (references to the records, which do not change while the cursor runs), written in
 * chunks as the connection drains, so a million-record result neither blocks the engine nor fills
 * memory. Everything else for that connection that arrives meanwhile is held in {@link #held} and
 * written after {@code group_end}: the query is atomic with respect to the connection's other
 * traffic. While the cursor runs, its topics' {@link SowTopic#snapshots} count keeps updates from
 * being written into the records it holds.
 */
final class QueryCursor {
    record Row(SowTopic topic, SowRecord record) {}

    final String commandId;
    final String queryId;
    final String subId;
    final int ackTypes;
    final List<Row> rows;
    final int batchSize;
    final long scanned;
    final long matched;
    final boolean multiTopic;
    /** The topics whose records {@link #rows} holds, each counted in its {@link SowTopic#snapshots} until {@link #finish}. */
    private List<SowTopic> pinned;
    int next;
    boolean started;
    /** Frames for the connection that arrived after this query's snapshot. */
    ByteBuf held;

    QueryCursor(String commandId, String queryId, String subId, int ackTypes, List<SowTopic> topics, List<Row> rows,
            int batchSize, long scanned, long matched, boolean multiTopic) {
        this.commandId = commandId;
        this.queryId = queryId;
        this.subId = subId;
        this.ackTypes = ackTypes;
        this.rows = rows;
        this.batchSize = batchSize;
        this.scanned = scanned;
        this.matched = matched;
        this.multiTopic = multiTopic;
        this.pinned = topics;
        for (SowTopic t : topics) {
            t.snapshots++;
        }
    }

    boolean done() {
        return next >= rows.size();
    }

    /** Ends the query, written or not: frees the held traffic and lets updates on its topics go in place again. Idempotent. */
    void finish() {
        if (held != null) {
            held.release();
            held = null;
        }
        if (pinned != null) {
            for (SowTopic t : pinned) {
                t.snapshots--;
            }
            pinned = null;
        }
    }
}
