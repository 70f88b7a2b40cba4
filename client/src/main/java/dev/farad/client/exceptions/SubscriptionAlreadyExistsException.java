package dev.farad.client.exceptions;

/**
 * This connection already has a subscription with that id and the command did not ask to replace it
 * (reason {@code subscription already exists}).
 *
 * <p>Immutable; thread-safe.
 */
public class SubscriptionAlreadyExistsException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public SubscriptionAlreadyExistsException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
