package dev.farad.server.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.farad.filter.Filter;
import dev.farad.filter.FilterLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users file: one line per user with a salted PBKDF2 password hash, and one line per
 * entitlement. The format (also in {@code docs/SECURITY.md}):
 *
 * <pre>
 * # comments and blank lines are kept when the file is rewritten
 * user  alice pbkdf2-sha256$310000$&lt;salt, base64&gt;$&lt;hash, base64&gt;
 * read  alice orders\..*                  /region = 'EU'
 * read  alice quotes
 * write alice orders\.eu
 * </pre>
 *
 * <p>{@code read USER REGEX [FILTER]} lets the user subscribe to and query topics that the regular
 * expression matches in full; the optional filter (the rest of the line) is ANDed into every
 * subscription and query on those topics. {@code write USER REGEX} lets the user publish,
 * delta-publish and sow-delete on matching topics. A user with no {@code read} or {@code write}
 * line may log on but do nothing else.
 *
 * <p>Hashes are PBKDF2 with HMAC-SHA256, a 16-byte random salt, a 32-byte output and the
 * iteration count stored per entry, so the count can be raised without invalidating old entries.
 * Comparison is constant-time.
 *
 * <p>Immutable and thread-safe; {@link #withPassword} returns a new instance.
 */
public final class UsersFile {
    /** PBKDF2 iterations for new hashes (the OWASP 2023 figure for HMAC-SHA256 is 600,000). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final FilterLimits GRANT_FILTER_LIMITS = new FilterLimits(64 * 1024, 256, 4096);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One entitlement line. {@code filter} is {@code null} when the line has none. */
    public record Grant(String user, boolean write, String topicRegex, String filter) {}

    private final String source;
    private final List<String> lines;
    private final Map<String, String> hashes = new LinkedHashMap<>();
    private final Map<String, List<Grant>> grants = new LinkedHashMap<>();
    /** Lazily computed; a benign race only hashes it twice. */
    private volatile String dummy;

    private UsersFile(String source, List<String> lines) {
        this.source = source;
        this.lines = List.copyOf(lines);
        for (int i = 0; i < lines.size(); i++) {
            parseLine(lines.get(i), i + 1);
        }
    }

    /** An empty file (no users): nobody can log on. */
    public static UsersFile empty(String source) {
        return new UsersFile(source, List.of());
    }

    /**
     * Reads and validates a users file.
     *
     * @throws IllegalArgumentException naming the file, line and problem (never a hash)
     */
    public static UsersFile load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read users file " + file + ": " + e, e);
        }
        return new UsersFile(file.toString(), lines);
    }

    /** Parses lines (for tests and tools); {@code source} names them in errors. */
    public static UsersFile parse(String source, List<String> lines) {
        return new UsersFile(source, lines);
    }

    private void parseLine(String raw, int lineNo) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        String[] parts = line.split("\\s+", 4);
        String where = source + " line " + lineNo;
        if (parts.length < 3) {
            throw new IllegalArgumentException(where + ": expected '<user|read|write> USER ...'");
        }
        String user = parts[1];
        switch (parts[0]) {
            case "user" -> {
                if (parts.length != 3) {
                    throw new IllegalArgumentException(where + ": expected 'user USER HASH'");
                }
                checkHashFormat(parts[2], where);
                if (hashes.put(user, parts[2]) != null) {
                    throw new IllegalArgumentException(where + ": user '" + user + "' appears twice");
                }
            }
            case "read", "write" -> {
                boolean write = parts[0].equals("write");
                try {
                    Pattern.compile(parts[2]);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ": bad topic regex '" + parts[2] + "': "
                            + e.getDescription(), e);
                }
                String filter = parts.length == 4 ? parts[3].strip() : null;
                if (filter != null && write) {
                    throw new IllegalArgumentException(where + ": write entitlements take no filter");
                }
                if (filter != null) {
                    try {
                        Filter.compile(filter, GRANT_FILTER_LIMITS);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": bad filter: " + e.getMessage(), e);
                    }
                }
                grants.computeIfAbsent(user, u -> new ArrayList<>()).add(new Grant(user, write, parts[2], filter));
            }
            default -> throw new IllegalArgumentException(where + ": unknown directive '" + parts[0]
                    + "'; expected user, read or write");
        }
    }

    private static void checkHashFormat(String encoded, String where) {
        String[] p = encoded.split("\\$");
        try {
            if (p.length != 4 || !p[0].equals(SCHEME) || Integer.parseInt(p[1]) < 1) {
                throw new IllegalArgumentException("bad");
            }
            Base64.getDecoder().decode(p[2]);
            Base64.getDecoder().decode(p[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": expected a hash '" + SCHEME
                    + "$<iterations>$<salt>$<hash>' as written by 'farad passwd'", e);
        }
    }

    /** Compiles a grant's filter with the (generous) limits used for trusted config. */
    static Filter compileGrantFilter(String filter) {
        return Filter.compile(filter, GRANT_FILTER_LIMITS);
    }

    /** Whether {@code user} has a password entry. */
    public boolean hasUser(String user) {
        return hashes.containsKey(user);
    }

    /** The entitlement lines of {@code user}, in file order. */
    public List<Grant> grants(String user) {
        return List.copyOf(grants.getOrDefault(user, List.of()));
    }

    /**
     * Checks a password; slow on purpose (PBKDF2), and as slow for an unknown user as for a known
     * one.
     */
    public boolean verify(String user, String password) {
        String encoded = user == null ? null : hashes.get(user);
        boolean usable = password != null && !password.isEmpty();
        char[] pw = usable ? password.toCharArray() : "-".toCharArray();
        try {
            boolean ok = verifyHash(pw, encoded == null ? dummyHash() : encoded);
            return ok && encoded != null && usable;
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    /** A copy with {@code user}'s password set (the entry replaced in place, or appended). */
    public UsersFile withPassword(String user, char[] password, int iterations) {
        Objects.requireNonNull(user, "user");
        if (user.isEmpty() || user.codePoints().anyMatch(Character::isWhitespace) || user.startsWith("#")) {
            throw new IllegalArgumentException("user must be non-empty without spaces but was '" + user + "'");
        }
        String entry = "user " + user + " " + hash(password, iterations);
        List<String> out = new ArrayList<>(lines);
        boolean replaced = false;
        for (int i = 0; i < out.size(); i++) {
            String[] parts = out.get(i).strip().split("\\s+");
            if (parts.length >= 2 && parts[0].equals("user") && parts[1].equals(user)) {
                out.set(i, entry);
                replaced = true;
            }
        }
        if (!replaced) {
            out.add(entry);
        }
        return new UsersFile(source, out);
    }

    /** The file's lines, as they would be written. */
    public List<String> lines() {
        return lines;
    }

    /**
     * Writes the file atomically (a temporary file then a rename), readable only by its owner
     * where the file system supports POSIX permissions.
     */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system; the directory's protection applies
                }
                Files.write(tmp, lines, StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write users file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verified against when the user is unknown, so that a miss costs as much as a hit: hashed with
     * the highest iteration count this file uses (computed once, on the first miss).
     */
    private String dummyHash() {
        String d = dummy;
        if (d == null) {
            int iterations = 0;
            for (String encoded : hashes.values()) {
                iterations = Math.max(iterations, iterationsOf(encoded));
            }
            d = hash("not a password".toCharArray(), iterations > 0 ? iterations : DEFAULT_ITERATIONS);
            dummy = d;
        }
        return d;
    }

    private static int iterationsOf(String encoded) {
        String[] parts = encoded.split("\\$");
        try {
            return parts.length == 4 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Hashes a password: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}. */
    public static String hash(char[] password, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1 but was " + iterations);
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] h = pbkdf2(password, salt, iterations);
        return SCHEME + "$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(h);
    }

    /** Whether {@code password} matches an encoded hash; constant-time in the comparison. */
    static boolean verifyHash(char[] password, String encoded) {
        String[] p = encoded.split("\\$");
        byte[] salt = Base64.getDecoder().decode(p[2]);
        byte[] expected = Base64.getDecoder().decode(p[3]);
        byte[] actual = pbkdf2(password, salt, Integer.parseInt(p[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        KeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            ((PBEKeySpec) spec).clearPassword();
        }
    }
}
