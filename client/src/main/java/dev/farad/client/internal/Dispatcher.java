package dev.farad.client.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The client's dispatch thread ({@code farad-client-dispatch-<n>}): runs message handlers,
 * listeners and the completion of public futures, one task at a time in submission order, so that
 * a slow handler never holds up the receive thread (and with it heartbeats and acks).
 *
 * <p>Thread-safe. A task that throws is reported to the error consumer and the thread goes on.
 * Tasks submitted after {@link #shutdown} are dropped.
 */
public final class Dispatcher implements Executor {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Consumer<Throwable> onError;
    private final ThreadPoolExecutor executor;
    private volatile Thread thread;

    /** @param onError receives what tasks throw; called on the dispatch thread */
    public Dispatcher(Consumer<Throwable> onError) {
        this.onError = onError;
        int n = COUNTER.incrementAndGet();
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "farad-client-dispatch-" + n);
                    t.setDaemon(true);
                    thread = t;
                    return t;
                });
        executor.prestartCoreThread();
    }

    /** Runs {@code task} on the dispatch thread after everything submitted before it. */
    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(() -> run(task));
        } catch (RejectedExecutionException closed) {
            // Shut down: nobody is left to deliver to.
        }
    }

    /**
     * Like {@link #execute}, but runs {@code task} on the calling thread once the dispatcher is shut
     * down, so that futures still complete after the client closed.
     */
    public void executeOrRun(Runnable task) {
        try {
            executor.execute(() -> run(task));
        } catch (RejectedExecutionException closed) {
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
        executor.shutdown();
        if (!inDispatchThread()) {
            try {
                executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
