package dev.farad.client;

/**
 * Receives failure acknowledgements of writes ({@code publish}, {@code delta_publish}, {@code
 * sow_delete}) that no caller awaits. Without one, such acknowledgements go to the last-chance
 * message handler.
 *
 * <p>Called on the client's dispatch thread; what it throws goes to the {@link ExceptionListener}.
 */
@FunctionalInterface
public interface FailedWriteHandler {
    /** Handles one failed write. */
    void onFailedWrite(FailedWrite failure);
}
