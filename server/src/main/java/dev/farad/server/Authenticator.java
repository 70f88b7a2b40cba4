package dev.farad.server;

import java.net.SocketAddress;

/**
 * Decides whether a logon is accepted. The broker calls it for every {@code logon} command on one
 * of its two authentication threads ({@code farad-auth-N}), never on the engine or I/O threads, so
 * it may take a while (hashing a password, say), but every logon waiting behind it waits too: do
 * not block without a bound.
 *
 * <p>Implementations must be thread-safe. They must never log or keep the password.
 */
@FunctionalInterface
public interface Authenticator {

    /** Accepts everybody; the broker says so loudly at start. */
    Authenticator ACCEPT_ALL = (user, password, remote) -> Result.accepted(
            dev.farad.protocol.Reason.AUTHENTICATION_DISABLED);

    /**
     * Checks one logon.
     *
     * @param user the user id from the logon, or {@code null}
     * @param password the password from the logon, or {@code null}; never log it
     * @param remote the address the connection comes from
     * @return whether the logon is accepted, and the reason to put on the ack
     */
    Result authenticate(String user, String password, SocketAddress remote);

    /**
     * The outcome of one logon check.
     *
     * @param accepted whether the user may log on
     * @param reason the reason on the ack ({@code auth failure} when refused)
     */
    record Result(boolean accepted, String reason) {
        public static Result accepted(String reason) {
            return new Result(true, reason);
        }

        public static Result refused() {
            return new Result(false, dev.farad.protocol.Reason.AUTH_FAILURE);
        }
    }
}
