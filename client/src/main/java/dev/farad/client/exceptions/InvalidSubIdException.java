package dev.farad.client.exceptions;

/**
 * The subscription id is not valid (reason {@code invalid subid}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvalidSubIdException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public InvalidSubIdException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
