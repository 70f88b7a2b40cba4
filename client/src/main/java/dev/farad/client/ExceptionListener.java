package dev.farad.client;

/**
 * Receives every exception the client absorbed instead of throwing to a caller: thrown by message
 * handlers, the disconnect handler, listeners, and failures of background work (a dropped
 * connection that could not be re-established, a broken frame). The exception keeps its stack
 * trace and cause chain.
 *
 * <p>Called on the thread where the exception was caught (usually the dispatch thread, the receive
 * thread for I/O failures). Must not throw; if it does, the exception is printed to {@code
 * System.err} and dropped.
 */
@FunctionalInterface
public interface ExceptionListener {
    /** Handles one absorbed exception. */
    void onException(Throwable exception);
}
