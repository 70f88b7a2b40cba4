package dev.farad.client;

import dev.farad.client.exceptions.FaradException;
import dev.farad.client.internal.StreamQueue;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The results of a command, read synchronously: iterate it, or {@link #poll(Duration)} it.
 *
 * <pre>{@code
 * try (MessageStream orders = client.subscribe("orders")) {
 *     for (Message m : orders) {
 *         process(m);
 *     }
 * }
 * }</pre>
 *
 * <p>Messages are queued as they arrive, up to the client's {@linkplain Client#setDefaultMaxDepth
 * max depth}; when the queue is full the client's dispatch thread waits for the reader (the receive
 * thread does not, so heartbeats go on). Iteration blocks while the queue is empty. It ends when the
 * command is done (a query's results are complete, the stream is closed, the client is closed or
 * the subscription was ended by {@link Client#unsubscribe}). If the connection is lost, the stream
 * hands out what it already holds and then throws {@link
 * dev.farad.client.exceptions.DisconnectedException}; it is not resumed after a reconnect.
 *
 * <p>Closing the stream unsubscribes (for subscriptions) and drops what is queued; {@code close()}
 * is idempotent and never blocks.
 *
 * <p>Thread-safe, but meant for one reading thread. Reading it from a handler or listener of the
 * same client throws {@link dev.farad.client.exceptions.UsageException}.
 *
 * <p>Pitfalls: the iterator is single-pass; a slow reader of a busy subscription holds up the other
 * handlers of the client once the queue is full.
 */
public final class MessageStream implements Iterable<Message>, AutoCloseable {
    private final CommandId commandId;
    private final StreamQueue queue;
    private final Runnable onClose;
    private final Runnable blockingCheck;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Message peeked;

    MessageStream(CommandId commandId, StreamQueue queue, Runnable onClose, Runnable blockingCheck) {
        this.commandId = commandId;
        this.queue = queue;
        this.onClose = onClose;
        this.blockingCheck = blockingCheck;
    }

    /** The id of the command (for subscriptions: the subscription id). */
    public CommandId commandId() {
        return commandId;
    }

    /**
     * Takes the next message, waiting up to {@code timeout}.
     *
     * @return the message, or {@code null} if none came in time or the stream ended cleanly
     * @throws dev.farad.client.exceptions.DisconnectedException once the queue is drained after a
     *     lost connection
     * @throws dev.farad.client.exceptions.UsageException on a thread of the same client
     */
    public synchronized Message poll(Duration timeout) {
        if (peeked != null) {
            Message m = peeked;
            peeked = null;
            return m;
        }
        blockingCheck.run();
        try {
            return queue.poll(timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaradException("interrupted while reading stream " + commandId, null, e);
        }
    }

    /** Whether the stream has ended and every message was read. Does not block. */
    public synchronized boolean isDone() {
        return peeked == null && queue.exhausted();
    }

    /**
     * The messages, in arrival order. {@code hasNext()} blocks until a message arrives or the stream
     * ends; it throws {@link dev.farad.client.exceptions.DisconnectedException} at the end of a
     * stream whose connection was lost.
     */
    @Override
    public Iterator<Message> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                synchronized (MessageStream.this) {
                    if (peeked == null) {
                        peeked = poll(Duration.ofNanos(-1));
                    }
                    return peeked != null;
                }
            }

            @Override
            public Message next() {
                synchronized (MessageStream.this) {
                    if (!hasNext()) {
                        throw new NoSuchElementException("stream " + commandId + " has ended");
                    }
                    Message m = peeked;
                    peeked = null;
                    return m;
                }
            }
        };
    }

    /** Ends the stream: unsubscribes a subscription and drops queued messages. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            queue.end(null, true);
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "MessageStream{" + commandId + '}';
    }
}
