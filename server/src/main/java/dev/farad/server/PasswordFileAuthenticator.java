package dev.farad.server;

import dev.farad.protocol.Reason;
import dev.farad.server.internal.UsersFile;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Accepts a logon when the user has an entry in the users file and the password matches its
 * salted PBKDF2 hash (see {@code docs/SECURITY.md} for the file format and {@code farad passwd}
 * for writing entries). The broker uses it when {@link BrokerConfig#usersFile()} is set and no
 * other authenticator is configured.
 *
 * <pre>{@code
 * BrokerConfig config = BrokerConfig.builder().usersFile(Path.of("farad.users")).build();
 * }</pre>
 *
 * <p>Checking a password is slow on purpose (hundreds of milliseconds at the default iteration
 * count); the broker runs authenticators on its own authentication threads, never on the engine or
 * I/O threads. An unknown user costs as much as a wrong password, so timing does not reveal which
 * users exist.
 *
 * <p>Thread-safe (immutable).
 */
public final class PasswordFileAuthenticator implements Authenticator {
    private final UsersFile users;

    private PasswordFileAuthenticator(UsersFile users) {
        this.users = users;
    }

    /**
     * Reads the users file once.
     *
     * @throws IllegalArgumentException naming the file, line and problem
     */
    public static PasswordFileAuthenticator load(Path usersFile) {
        return new PasswordFileAuthenticator(UsersFile.load(Objects.requireNonNull(usersFile, "usersFile")));
    }

    /** The parsed users file, for the broker's entitlement checks. */
    public UsersFile users() {
        return users;
    }

    @Override
    public Result authenticate(String user, String password, SocketAddress remote) {
        return users.verify(user, password) ? Result.accepted(null) : new Result(false, Reason.AUTH_FAILURE);
    }
}
