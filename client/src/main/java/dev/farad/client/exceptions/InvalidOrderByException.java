package dev.farad.client.exceptions;

/**
 * The order-by clause is not valid (reason {@code invalid order by}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvalidOrderByException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public InvalidOrderByException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
