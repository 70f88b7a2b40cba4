package dev.farad.client.exceptions;

/**
 * The base of every exception the Farad client throws. Unchecked: catch it to catch anything the
 * client throws, or catch a subclass to handle one kind of failure.
 *
 * <p>{@link #reason()} is the broker's failure reason (for example {@code "bad filter"}) when the
 * broker rejected something, else {@code null}. Messages name the command, topic and command id
 * involved, never credentials or payloads.
 *
 * <p>Immutable once thrown; thread-safe.
 */
public class FaradException extends RuntimeException {
    private final String reason;

    /**
     * @param message what failed, with identifiers
     * @param reason the broker's failure reason, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public FaradException(String message, String reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The broker's failure reason string, or {@code null} when the failure is local. */
    public String reason() {
        return reason;
    }
}
