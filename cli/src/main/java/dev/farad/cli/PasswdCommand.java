package dev.farad.cli;

import dev.farad.server.internal.UsersFile;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code farad passwd USER [--file PATH]}: sets a user's password in a users file, creating the
 * file or the entry as needed and keeping every other line. The password is read from the console
 * (asked twice, not echoed) or, when there is no console, from the first line of standard input; it
 * never appears on the command line.
 */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = "Set a user's password in a users file (salted PBKDF2; read from the console or stdin).")
final class PasswdCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "USER", description = "The user whose password to set.")
    String user;

    @Option(names = "--file", paramLabel = "PATH", defaultValue = "farad.users",
            description = "The users file (default: ${DEFAULT-VALUE}); created if missing.")
    Path file;

    @Option(names = "--iterations", hidden = true, defaultValue = "" + UsersFile.DEFAULT_ITERATIONS,
            description = "PBKDF2 iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Where the password comes from when there is no console; tests replace it. */
    InputStream stdin = System.in;
    /** The console, or {@code null}; tests set it to {@code null}. */
    Console console = System.console();

    @Override
    public Integer call() {
        char[] password = readPassword();
        try {
            if (password.length == 0) {
                throw new IllegalArgumentException("the password must not be empty");
            }
            UsersFile users = Files.exists(file) ? UsersFile.load(file) : UsersFile.empty(file.toString());
            boolean existed = users.hasUser(user);
            users.withPassword(user, password, iterations).write(file);
            spec.commandLine().getOut().printf("%s user '%s' in %s%n", existed ? "updated" : "added", user, file);
            if (!existed && users.grants(user).isEmpty()) {
                spec.commandLine().getOut().printf("note: '%s' has no entitlements yet; add 'read %s REGEX' and "
                        + "'write %s REGEX' lines (docs/SECURITY.md)%n", user, user, user);
            }
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] readPassword() {
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", user);
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the passwords did not match");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IllegalArgumentException("no password on standard input");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password from standard input", e);
        }
    }
}
