package dev.farad.client.exceptions;

/**
 * A SOW key is malformed (reason {@code bad sow key}).
 *
 * <p>Immutable; thread-safe.
 */
public class BadSowKeyException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public BadSowKeyException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
