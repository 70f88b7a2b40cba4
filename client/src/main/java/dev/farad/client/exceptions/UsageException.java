package dev.farad.client.exceptions;

/**
 * The API was used in a way it does not allow: a blocking call from the client's own dispatch or
 * receive thread, a heartbeat read timeout below the interval, a command the client may not send.
 *
 * <p>Immutable; thread-safe.
 */
public class UsageException extends FaradException {
    /** @param message what was wrong and what to do instead */
    public UsageException(String message) {
        super(message, null, null);
    }
}
