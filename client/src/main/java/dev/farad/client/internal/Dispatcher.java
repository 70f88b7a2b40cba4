package dev.farad.client.internal;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * The client's dispatch thread ({@code farad-client-dispatch-<n>}): runs message handlers,
 * listeners and the completion of public futures, one task at a time in submission order, so that
 * a slow handler never holds up the receive thread (and with it heartbeats and acks).
 *
 * <p>Thread-safe. A task that throws is reported to the error consumer and the thread goes on.
 * Tasks submitted after {@link #shutdown} are dropped.
 *
 * <p>The hand-off costs no lock: tasks go on a lock-free queue, and the dispatch thread is woken
 * (a futex call) only when it sleeps. The receive thread queues deliveries with
 * {@link #executeDeferred} and wakes the dispatch thread once per socket read with
 * {@link #wakeUp}, so a burst of messages costs one wake-up, not one per message.
 */
public final class Dispatcher implements Executor {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int CHUNK = 1024;

    private final Consumer<Throwable> onError;
    private final Queue<Runnable> queue = new MpscUnboundedXaddArrayQueue<>(CHUNK);
    private final Thread thread;
    private final Object afterStop = new Object();
    private volatile boolean sleeping;
    private volatile boolean shutdown;
    private volatile boolean stopped;

    /** @param onError receives what tasks throw; called on the dispatch thread */
    public Dispatcher(Consumer<Throwable> onError) {
        this.onError = onError;
        this.thread = new Thread(this::loop, "farad-client-dispatch-" + COUNTER.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the dispatch thread after everything submitted before it. */
    @Override
    public void execute(Runnable task) {
        if (shutdown) {
            return;
        }
        queue.offer(task);
        wakeUp();
        runIfStopped();
    }

    /**
     * Queues {@code task} like {@link #execute} but does not wake the dispatch thread: the caller
     * promises a {@link #wakeUp} soon (the receive thread calls it at the end of every read).
     */
    public void executeDeferred(Runnable task) {
        if (shutdown) {
            return;
        }
        queue.offer(task);
    }

    /** Wakes the dispatch thread if it sleeps, so that it runs what is queued. */
    public void wakeUp() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Like {@link #execute}, but runs {@code task} on the calling thread once the dispatcher is shut
     * down, so that futures still complete after the client closed.
     */
    public void executeOrRun(Runnable task) {
        if (shutdown) {
            run(task);
            return;
        }
        queue.offer(task);
        wakeUp();
        runIfStopped();
    }

    private void loop() {
        while (true) {
            Runnable task = queue.poll();
            if (task != null) {
                run(task);
                continue;
            }
            if (shutdown) {
                break;
            }
            sleeping = true;
            // Re-check after announcing sleep: a producer that queued before it saw the flag has
            // not unparked us, so its task must be seen here.
            if (queue.isEmpty() && !shutdown) {
                LockSupport.park(this);
            }
            sleeping = false;
        }
        synchronized (afterStop) {
            stopped = true;
            drainHere();
        }
    }

    /**
     * A task queued while the thread was leaving would never run: whoever sees the thread gone runs
     * what is left (under a lock, since the queue allows one consumer at a time).
     */
    private void runIfStopped() {
        if (stopped) {
            synchronized (afterStop) {
                drainHere();
            }
        }
    }

    private void drainHere() {
        Runnable task;
        while ((task = queue.poll()) != null) {
            run(task);
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            onError.accept(t);
        }
    }

    /** Whether the calling thread is this dispatch thread. */
    public boolean inDispatchThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs what is queued, then stops. Waits up to {@code wait} for that unless called on the
     * dispatch thread itself.
     */
    public void shutdown(Duration wait) {
        shutdown = true;
        LockSupport.unpark(thread);
        if (!inDispatchThread()) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
