package dev.farad.client.exceptions;

/**
 * The subscription id is in use (reason {@code subid in use}).
 *
 * <p>Immutable; thread-safe.
 */
public class SubidInUseException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public SubidInUseException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
