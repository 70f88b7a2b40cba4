package dev.farad.client.exceptions;

/**
 * The topic is not valid for this command, for example publishing to a pattern (reasons {@code
 * invalid topic}, {@code invalid topic or filter}).
 *
 * <p>Immutable; thread-safe.
 */
public class InvalidTopicException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public InvalidTopicException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
