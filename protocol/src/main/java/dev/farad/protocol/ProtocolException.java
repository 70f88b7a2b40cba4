package dev.farad.protocol;

/**
 * Input that does not follow the wire protocol. The broker closes the connection that sent it and
 * logs the message; the client treats it as a broken stream.
 *
 * <p>Messages name what was expected, what was found and the byte offset inside the frame; they
 * never contain payload bytes or credentials.
 */
public class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}
