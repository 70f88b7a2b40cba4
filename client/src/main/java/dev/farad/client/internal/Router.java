package dev.farad.client.internal;

import dev.farad.client.FailedWrite;
import dev.farad.client.FailedWriteHandler;
import dev.farad.client.Message;
import dev.farad.client.MessageHandler;
import dev.farad.client.PublishStore;
import dev.farad.client.StoredPublish;
import dev.farad.client.exceptions.FaradException;
import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Where inbound messages go: deliveries by subscription or query id to {@link Route}s, acks by
 * command id to {@link Pending} commands, failed writes to the failed-write handler, and everything
 * else to the last-chance handler.
 *
 * <p>Routing ({@link #onAck}, {@link #onDelivery}) runs on the receive thread; handlers are called
 * later on the dispatch thread. Registration methods may be called from any thread. Thread-safe.
 */
public final class Router {

    /** What the router needs from its client; read on every use, so settings may change. */
    public interface Hooks {
        /** The last-chance handler, or {@code null}. */
        MessageHandler lastChanceHandler();

        /** The failed-write handler, or {@code null}. */
        FailedWriteHandler failedWriteHandler();

        /** The publish store, or {@code null}. */
        PublishStore publishStore();

        /** Reports an exception nobody awaits. */
        void reportException(Throwable t);

        /** The highest sequence the publish store replayed on the current connection, or 0. */
        long replayedUpTo();
    }

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Dispatcher dispatcher;
    private final Hooks hooks;

    /**
     * @param dispatcher where handlers run
     * @param hooks the client's handlers, store and exception reporting
     */
    public Router(Dispatcher dispatcher, Hooks hooks) {
        this.dispatcher = dispatcher;
        this.hooks = hooks;
    }

    /** Makes a route to a handler or (when {@code handler} is {@code null}) to a stream. */
    public Route newRoute(MessageHandler handler, StreamQueue stream) {
        return new Route(handler, stream);
    }

    /** Starts routing deliveries for {@code r.id()} to {@code r}. */
    public void register(Route r) {
        routes.put(r.id, r);
    }

    /** Stops routing to {@code r} if it is still registered; returns whether it was. */
    public boolean unregister(Route r) {
        return r != null && routes.remove(r.id, r);
    }

    /** Stops routing deliveries for {@code id}; returns the route that had it, or {@code null}. */
    public Route unregister(String id) {
        return routes.remove(id);
    }

    /** Starts routing acks for {@code p.cid()} to {@code p}. */
    public void track(Pending p) {
        pending.put(p.cid, p);
    }

    /** Stops routing acks to {@code p}. */
    public void untrack(Pending p) {
        pending.remove(p.cid, p);
    }

    /**
     * Fails the pending commands sent on {@code only} (all of them when {@code null}) and forgets
     * them. Their futures complete here, on the calling thread (they are internal; public futures
     * hop to the dispatch thread).
     */
    public void failAll(Connection only, Supplier<FaradException> error) {
        List<Pending> failed = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (only == null || p.connection == only || p.connection == null) {
                failed.add(p);
            }
        }
        for (Pending p : failed) {
            pending.remove(p.cid, p);
            p.processed.completeExceptionally(error.get());
        }
    }

    /** Ends every route: streams drain what was dispatched, then see {@code failure} (or a clean end). */
    public void endAll(FaradException failure) {
        for (Route r : new ArrayList<>(routes.values())) {
            if (routes.remove(r.id, r)) {
                r.end(failure);
            }
        }
    }

    /** Ends every route at once, dropping what was not dispatched yet (client closing). */
    public void endAllNow() {
        for (Route r : new ArrayList<>(routes.values())) {
            if (routes.remove(r.id, r)) {
                r.endNow();
            }
        }
    }

    /** Hands {@code m} to the last-chance handler on the dispatch thread, or drops it. */
    public void lastChance(Message m) {
        MessageHandler h = hooks.lastChanceHandler();
        if (h != null) {
            dispatcher.execute(() -> h.onMessage(m));
        }
    }

    // ---------------------------------------------------------------- deliveries

    /** Routes a {@code publish}, {@code oof}, {@code sow} or group bracket; fans out {@code sids}. */
    public void onDelivery(Frame frame) {
        Header h = frame.header();
        String sids = h.subIds();
        if (h.subId() == null && sids != null) {
            Message m = Messages.from(frame);
            int start = 0;
            while (start <= sids.length()) {
                int comma = sids.indexOf(',', start);
                int end = comma < 0 ? sids.length() : comma;
                String sid = sids.substring(start, end).trim();
                if (!sid.isEmpty()) {
                    deliver(sid, m.withSubId(sid));
                }
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
            return;
        }
        String id = h.subId() != null ? h.subId() : h.queryId() != null ? h.queryId() : h.commandId();
        if (h.command() == Command.SOW) {
            SowBatches.forEachRecord(frame, m -> deliver(id, m));
            return;
        }
        deliver(id, Messages.from(frame));
    }

    private void deliver(String id, Message m) {
        Route r = id == null ? null : routes.get(id);
        if (r == null) {
            lastChance(m);
            return;
        }
        r.deliver(m);
    }

    // ---------------------------------------------------------------- acks

    /** Routes an ack to its pending command, the publish store, the failed-write or last-chance handler. */
    public void onAck(Message ack) {
        String cid = ack.commandId();
        Pending p = cid == null ? null : pending.get(cid);
        AckType type = ack.ackType();
        if (p == null) {
            onUnclaimedAck(ack, type);
            return;
        }
        int bit = type == null ? 0 : type.bit();
        if ((p.userMask & bit) != 0 && p.route != null) {
            p.route.deliver(ack);
        }
        p.seen |= bit;
        if (p.write) {
            pending.remove(cid, p);
            if (ack.isFailure()) {
                failedWrite(ack, p.command, p.topic, null);
            }
            return;
        }
        if (ack.isFailure()) {
            pending.remove(cid, p);
            FaradException e = FailureMapping.exceptionFor(p.command, p.topic, cid, ack.reason());
            if (unregister(p.route)) {
                p.route.end(e);
            }
            if (!p.processed.isDone()) {
                p.processed.completeExceptionally(e);
            } else {
                hooks.reportException(e);
            }
            return;
        }
        if (type == AckType.PROCESSED || (!p.awaitsProcessed && !p.processed.isDone())) {
            if (p.logon && "success".equals(ack.status())) {
                // Here on the receive thread, so a loss right after the ack sees a logged-on connection.
                p.connection.markLoggedOn();
            }
            p.processed.complete(ack);
        }
        Route r = p.route;
        if (type == AckType.COMPLETED && r != null && r.query && !r.subscription && unregister(r)) {
            r.end(null);
        }
        int all = p.waitMask | p.userMask;
        if ((p.seen & all) == all) {
            pending.remove(cid, p);
            if (r != null && !r.subscription && !r.query) {
                r.end(null);
            }
        }
    }

    private void onUnclaimedAck(Message ack, AckType type) {
        PublishStore store = hooks.publishStore();
        if (type == AckType.PERSISTED && !ack.isFailure() && store != null && ack.sequence() > 0) {
            store.discardUpTo(ack.sequence());
            return;
        }
        if (ack.isFailure() && store != null && type == AckType.PERSISTED && "duplicate".equals(ack.reason())
                && ack.sequence() > 0 && ack.sequence() <= hooks.replayedUpTo()) {
            // A replayed write the broker already holds durably (it acks duplicates after the original).
            store.discardUpTo(ack.sequence());
            return;
        }
        if (ack.isFailure() && (type == AckType.PERSISTED || ack.sequence() > 0)) {
            StoredPublish sp = store == null || ack.sequence() <= 0 ? null : store.get(ack.sequence());
            if (sp != null) {
                store.discardUpTo(ack.sequence());
                failedWrite(ack, sp.command(), sp.topic(), sp.data().clone());
            } else {
                failedWrite(ack, null, null, null);
            }
            return;
        }
        lastChance(ack);
    }

    private void failedWrite(Message ack, String command, String topic, byte[] data) {
        FailedWriteHandler h = hooks.failedWriteHandler();
        if (h == null) {
            lastChance(ack);
            return;
        }
        FailedWrite fw = new FailedWrite(ack, ack.sequence(), ack.reason(), command, topic, data);
        dispatcher.execute(() -> h.onFailedWrite(fw));
    }

    // ---------------------------------------------------------------- routes and pending commands

    /** Where one command's or subscription's messages go: a handler or a stream. */
    public final class Route {
        private final MessageHandler handler;
        private final StreamQueue stream;
        private String id;
        private boolean subscription;
        private boolean query;

        private Route(MessageHandler handler, StreamQueue stream) {
            this.handler = handler;
            this.stream = stream;
        }

        /** Names the route before it is registered: its id and what kind of command it serves. */
        public Route bind(String routeId, boolean isSubscription, boolean isQuery) {
            this.id = routeId;
            this.subscription = isSubscription;
            this.query = isQuery;
            return this;
        }

        /** The subscription, query or command id it routes. */
        public String id() {
            return id;
        }

        /** Whether it serves a subscription (stays after the command's acks). */
        public boolean isSubscription() {
            return subscription;
        }

        /** Whether it serves a query. */
        public boolean isQuery() {
            return query;
        }

        void deliver(Message m) {
            // Deferred: the receive thread wakes the dispatch thread once per read, not per message.
            if (handler != null) {
                dispatcher.executeDeferred(() -> handler.onMessage(m));
            } else {
                dispatcher.executeDeferred(() -> {
                    try {
                        stream.offer(m);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }

        /** Ends a stream at once, dropping what the dispatch thread has not handed over yet. */
        void endNow() {
            if (stream != null) {
                stream.end(null, false);
            }
        }

        /** Ends a stream after what is already queued for dispatch, so readers drain that first. */
        public void end(FaradException failure) {
            if (stream != null) {
                dispatcher.execute(() -> stream.end(failure, false));
            }
        }
    }

    /** A command awaiting acknowledgements. */
    public static final class Pending {
        private final String cid;
        private final String command;
        private final String topic;
        private final int waitMask;
        private final int userMask;
        private final Route route;
        private final CompletableFuture<Message> processed = new CompletableFuture<>();
        private volatile Connection connection;
        private int seen; // Receive thread only.
        private boolean write;
        private boolean logon;
        private boolean awaitsProcessed = true;

        /**
         * @param cid the command id acks will carry
         * @param command the command's name, for error messages
         * @param topic its topic, or {@code null}
         * @param waitMask the acks the client requested for itself
         * @param userMask the acks the application requested (delivered to {@code route})
         * @param route where requested acks go, or {@code null}
         * @param connection the connection it is sent on, or {@code null} if not known yet
         */
        public Pending(String cid, String command, String topic, int waitMask, int userMask, Route route,
                Connection connection) {
            this.cid = cid;
            this.command = command;
            this.topic = topic;
            this.waitMask = waitMask;
            this.userMask = userMask;
            this.route = route;
            this.connection = connection;
        }

        /** Marks a write nobody waits for: a failure goes to the failed-write handler. */
        public Pending asWrite() {
            this.write = true;
            return this;
        }

        /** Marks a logon: a successful ack marks the connection logged on, on the receive thread. */
        public Pending asLogon() {
            this.logon = true;
            return this;
        }

        /** For commands that do not await processed: the first requested ack completes the future. */
        public Pending awaitsProcessed(boolean v) {
            this.awaitsProcessed = v;
            return this;
        }

        /** The command id its acks carry. */
        public String cid() {
            return cid;
        }

        /** The command's name, for messages. */
        public String command() {
            return command;
        }

        /** The command's topic, or {@code null}. */
        public String topic() {
            return topic;
        }

        /** Where requested acks (and, for subscriptions, deliveries) go, or {@code null}. */
        public Route route() {
            return route;
        }

        /** Completed (by the receive thread) with the processed ack, or failed with the mapped exception. */
        public CompletableFuture<Message> processed() {
            return processed;
        }

        /** Records the connection the command went out on. */
        public void sentOn(Connection c) {
            this.connection = c;
        }
    }
}
