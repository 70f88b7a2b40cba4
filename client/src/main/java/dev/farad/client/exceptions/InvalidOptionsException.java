package dev.farad.client.exceptions;

/**
 * The command options are not valid (reason {@code invalid options}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvalidOptionsException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public InvalidOptionsException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
