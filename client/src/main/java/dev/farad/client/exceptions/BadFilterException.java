package dev.farad.client.exceptions;

/**
 * The content filter does not parse (reason {@code bad filter}).
 *
 * <p>Immutable; thread-safe.
 */
public class BadFilterException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public BadFilterException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
