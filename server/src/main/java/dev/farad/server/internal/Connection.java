package dev.farad.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client connection as the engine sees it.
 *
 * <p>Fields without a comment are owned by the engine thread. {@link #queuedBytes()} reads the
 * channel's own count of bytes handed to it and not yet written, so the engine can tell a slow
 * consumer without a promise and a listener per write.
 */
final class Connection {
    final long id;
    final Channel channel;
    final String remote;

    String clientName;
    String user;
    /** What the logged-on user may read and write; {@code null} when unrestricted. */
    Entitlements.Access access;
    /**
     * The authenticator's verdict on the logon being submitted, set by the authentication thread
     * before the logon frame is queued for the engine (the queue orders the two).
     */
    volatile dev.farad.server.Authenticator.Result authResult;
    /** Written by the engine, read by the I/O thread's logon timer. */
    volatile boolean loggedOn;
    boolean closed;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();

    /** SOW queries being written to this connection, oldest first. */
    final java.util.ArrayDeque<QueryCursor> queries = new java.util.ArrayDeque<>();

    /** Frames written by the engine in the current batch, handed to the channel at batch end. */
    ByteBuf pending;
    boolean inFlushList;


    // Routing scratch for grouping several matching subscriptions of this connection into one
    // delivery; only meaningful while deliveryMark equals the engine's current message number.
    long deliveryMark;
    Subscription firstMatch;
    StringBuilder extraSids;

    /** Highest publisher sequence of a conflated persisted ack being gathered; 0 when none. */
    long persistedHigh;

    Connection(long id, Channel channel) {
        this.id = id;
        this.channel = channel;
        this.remote = String.valueOf(channel.remoteAddress());
    }

    /** Hands the pending batch to the channel; called by the engine at the end of a batch. */
    void flushPending() {
        inFlushList = false;
        ByteBuf buf = pending;
        if (buf == null) {
            return;
        }
        pending = null;
        if (!buf.isReadable()) {
            buf.release();
            return;
        }
        // A failed write reaches ConnectionHandler.exceptionCaught, which closes the connection.
        channel.writeAndFlush(buf, channel.voidPromise());
    }

    /**
     * Bytes handed to the channel and not yet written to the socket: Netty counts a write from
     * another thread when it is submitted, so this covers writes still on their way to the I/O
     * thread. Callable from any thread; 0 once the channel is closed.
     */
    long queuedBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /**
     * {@link #queuedBytes()} plus this batch's frames not handed over yet and the traffic held
     * behind running queries: what the client still has to read.
     */
    long backlogBytes() {
        long held = 0;
        for (QueryCursor q : queries) {
            held += q.held == null ? 0 : q.held.readableBytes();
        }
        return queuedBytes() + (pending == null ? 0 : pending.readableBytes()) + held;
    }

    /** Records held by this connection's running queries, written or not yet. */
    long queryRows() {
        long rows = 0;
        for (QueryCursor q : queries) {
            rows += q.rows.size();
        }
        return rows;
    }

    /** Drops the pending batch and any held query traffic without sending them. */
    void discardPending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        discardQueries();
    }

    /** Ends the running queries without writing the rest of them. */
    void discardQueries() {
        for (QueryCursor q : queries) {
            q.finish();
        }
        queries.clear();
    }

    String describe() {
        return "connection " + id + " from " + remote + (clientName == null ? "" : " ('" + clientName + "')");
    }

    @Override
    public String toString() {
        return describe();
    }
}
