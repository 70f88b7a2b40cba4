package dev.farad.client.exceptions;

/**
 * The topic regular expression is invalid or not supported (reasons {@code bad regex topic}, {@code
 * regex topic not supported}).
 *
 * <p>Immutable; thread-safe.
 */
public class BadRegexTopicException extends CommandException {
    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public BadRegexTopicException(String message, String reason, String commandId) {
        super(message, reason, commandId);
    }
}
