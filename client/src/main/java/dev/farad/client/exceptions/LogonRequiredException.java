package dev.farad.client.exceptions;

/**
 * A command was sent before a successful logon (reason {@code logon required}).
 *
 * <p>Immutable; thread-safe.
 */
public class LogonRequiredException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public LogonRequiredException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
