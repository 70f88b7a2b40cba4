package dev.farad.client.exceptions;

/**
 * The connection is already logged on (reason {@code duplicate logon attempt}).
 *
 * <p>Immutable; thread-safe.
 */
public class DuplicateLogonException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public DuplicateLogonException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
