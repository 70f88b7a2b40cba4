package dev.farad.client.exceptions;

/**
 * The broker rejected a command: the base of the exceptions mapped from failure acknowledgements,
 * and the type thrown for failure reasons that have no more specific exception.
 *
 * <p>{@link #commandId()} names the rejected command when it had one. Immutable; thread-safe.
 */
public class CommandException extends FaradException {
    private final String commandId;

    /**
     * @param message what failed: command, topic, command id and reason
     * @param reason the broker's failure reason, or {@code null}
     * @param commandId the rejected command's id, or {@code null}
     */
    public CommandException(String message, String reason, String commandId) {
        super(message, reason, null);
        this.commandId = commandId;
    }

    /** The id of the rejected command, or {@code null} if it had none. */
    public String commandId() {
        return commandId;
    }
}
