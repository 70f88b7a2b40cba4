package dev.farad.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * A fresh directory {@code farad-bench-<purpose>-<random>} under {@code java.io.tmpdir} that
 * {@link #close()} deletes with everything in it: where the persisted scenario keeps its publish
 * store and the embedded broker its transaction log, so a run leaves nothing on disk.
 *
 * <p>Not thread-safe: create and close it on one thread, once whatever writes into it has stopped.
 */
public final class TempDirectory implements AutoCloseable {
    /** What every directory made here starts with. */
    public static final String PREFIX = "farad-bench-";

    private final Path path;

    private TempDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates the directory.
     *
     * @param purpose a word for the name, e.g. {@code store}
     * @throws UncheckedIOException if it cannot be created
     */
    public static TempDirectory create(String purpose) {
        try {
            return new TempDirectory(Files.createTempDirectory(PREFIX + purpose + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for " + purpose, e);
        }
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    /**
     * Deletes the directory and its contents. A failure is logged, not thrown: it must not take the
     * figures of a finished scenario with it, and the path in the warning lets a person remove it.
     */
    @Override
    public void close() {
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(path)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            LoggerFactory.getLogger(TempDirectory.class).warn("cannot list {} to delete it", path, e);
            return;
        }
        for (Path p : deepestFirst) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LoggerFactory.getLogger(TempDirectory.class).warn("cannot delete {}", p, e);
            }
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
