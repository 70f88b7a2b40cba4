package dev.farad.server.internal;

import dev.farad.protocol.Header;
import dev.farad.server.Authenticator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the authenticator off the engine and I/O threads: password hashing is slow on purpose, and
 * a flood of bogus logons must not stall routing for everyone else. {@link ConnectionHandler}
 * hands each logon here, stops reading that connection, and passes the logon on to the engine
 * with the verdict attached once it is known.
 *
 * <p>A small fixed pool ({@code farad-auth-N}) with a bounded queue: when the queue is full the
 * logon is refused at once ({@code auth failure}) rather than queued without bound.
 *
 * <p>Thread-safe.
 */
final class Authentication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("dev.farad.server.Engine");
    private static final int THREADS = 2;
    private static final int QUEUE = 1024;

    private final Authenticator authenticator;
    private final ThreadPoolExecutor pool;

    Authentication(Authenticator authenticator) {
        this.authenticator = authenticator;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "farad-auth-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Checks {@code h}'s credentials on an authentication thread, stores the verdict in {@code
     * c.authResult}, then runs {@code then} (on the authentication thread, or on the caller's if
     * the queue is full).
     */
    void submit(Connection c, Header h, Runnable then) {
        try {
            pool.execute(() -> {
                c.authResult = check(authenticator, c, h);
                then.run();
            });
        } catch (RejectedExecutionException e) {
            log.warn("{}: logon refused, {} logons are already waiting for authentication", c.describe(), QUEUE);
            c.authResult = Authenticator.Result.refused();
            then.run();
        }
    }

    /** Runs {@code authenticator} once; a failure or {@code null} answer refuses the logon. */
    static Authenticator.Result check(Authenticator authenticator, Connection c, Header h) {
        try {
            Authenticator.Result r = authenticator.authenticate(h.userId(), h.password(), c.channel.remoteAddress());
            return r == null ? Authenticator.Result.refused() : r;
        } catch (RuntimeException e) {
            log.error("authenticator failed for {}; refusing the logon", c.describe(), e);
            return Authenticator.Result.refused();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
