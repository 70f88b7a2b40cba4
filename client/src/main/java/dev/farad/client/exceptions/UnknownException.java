package dev.farad.client.exceptions;

/**
 * An unrecoverable or unknown failure inside the client or broker.
 *
 * <p>Immutable; thread-safe.
 */
public class UnknownException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public UnknownException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
