package dev.farad.client.exceptions;

/**
 * The bookmark is malformed (reason {@code invalid bookmark}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvalidBookmarkException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public InvalidBookmarkException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
