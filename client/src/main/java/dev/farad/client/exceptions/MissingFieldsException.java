package dev.farad.client.exceptions;

/**
 * The command lacks a field it needs (reasons {@code no topic}, {@code no filter or bookmark},
 * {@code no client name}, {@code no topic or filter}, {@code orderby required}).
 *
 * <p>Immutable; thread-safe.
 */
public class MissingFieldsException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public MissingFieldsException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
