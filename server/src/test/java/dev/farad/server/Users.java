package dev.farad.server;

import dev.farad.server.internal.UsersFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes throwaway users files for tests, with cheap hashes so tests stay fast. */
final class Users {
    static final int TEST_ITERATIONS = 1_000;

    private final List<String> lines = new ArrayList<>();

    Users user(String name, String password) {
        lines.add("user " + name + " " + UsersFile.hash(password.toCharArray(), TEST_ITERATIONS));
        return this;
    }

    Users line(String line) {
        lines.add(line);
        return this;
    }

    Path writeTo(Path dir) {
        try {
            Path f = Files.createTempFile(dir, "users", ".farad");
            Files.write(f, lines);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
