package dev.farad.client.exceptions;

/**
 * The broker could not store a published message (reasons {@code sow store failed}, {@code tx store
 * failure}).
 *
 * <p>Immutable; thread-safe.
 */
public class PublishException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public PublishException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
