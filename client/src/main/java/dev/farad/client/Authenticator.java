package dev.farad.client;

/**
 * Supplies the password for a logon and answers the broker's challenges (status {@code retry}).
 *
 * <p>The default ({@link #FROM_URI}) sends the password from the connection URI. Called on the
 * thread that calls {@code logon()}.
 */
public interface Authenticator {
    /** Sends the URI's password unchanged. */
    Authenticator FROM_URI = (user, password) -> password;

    /**
     * Returns the password to send on the first logon attempt.
     *
     * @param user the user from the URI, or {@code null}
     * @param password the password from the URI, or {@code null}
     */
    String authenticate(String user, String password);

    /**
     * Returns the password to send in answer to a challenge ({@code status=retry}).
     *
     * @param user the user the broker named
     * @param password the challenge the broker sent
     * @throws dev.farad.client.exceptions.AuthenticationException to give up (the default)
     */
    default String retry(String user, String password) {
        throw new dev.farad.client.exceptions.AuthenticationException(
                "logon challenged for user '" + user + "' and this authenticator cannot answer",
                "retry", null);
    }

    /** Called once the logon finished, with the broker's final reason. */
    default void completed(String user, String password, String reason) {}
}
