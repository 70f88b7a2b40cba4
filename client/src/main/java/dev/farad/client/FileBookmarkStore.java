package dev.farad.client;

import dev.farad.client.exceptions.StoreException;
import dev.farad.client.internal.StoreFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A bookmark store in an append-only file: a subscriber restarted with the same file and
 * subscription ids resumes from where it had processed, and recognises what it had already
 * processed as duplicates.
 *
 * <p><b>Format.</b> A {@link StoreFile} with magic {@code FBMK}; each record body is an op byte
 * ({@code 'b'}: logged, received and being processed; {@code 'd'}: discarded, processed), the
 * subscription id and the bookmark, each a UTF-8 string with a 2-byte length. Opening replays the
 * records. When the file passes the compaction threshold it is rewritten with only what rebuilds
 * the state (per subscription: in-flight logs, the most recent point, later discards).
 *
 * <p><b>Durability.</b> {@link FsyncPolicy#NEVER} (the default here, since a discard follows every
 * message) survives a crash of the process; {@link FsyncPolicy#ALWAYS} also of the machine, at an
 * fsync per message. Losing the last records only makes the subscriber resume earlier; those
 * messages are then delivered again, not lost.
 *
 * <p>Thread-safe. One store per file: a second open fails with {@link StoreException}.
 */
public final class FileBookmarkStore extends MemoryBookmarkStore {
    /** The default size past which the file is compacted. */
    public static final long DEFAULT_COMPACT_AFTER_BYTES = 4L * 1024 * 1024;

    private final long compactAfterBytes;
    private StoreFile file;
    private boolean recovering;
    private long compactedSize;

    private FileBookmarkStore(long compactAfterBytes) {
        this.compactAfterBytes = compactAfterBytes;
    }

    /** Opens (or creates) a store that leaves flushing to the operating system. */
    public static FileBookmarkStore open(Path path) {
        return open(path, FsyncPolicy.NEVER);
    }

    /**
     * Opens (or creates) a store.
     *
     * @throws StoreException if the file is in use by another store or unreadable
     */
    public static FileBookmarkStore open(Path path, FsyncPolicy fsync) {
        return open(path, fsync, DEFAULT_COMPACT_AFTER_BYTES);
    }

    static FileBookmarkStore open(Path path, FsyncPolicy fsync, long compactAfterBytes) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fsync, "fsync");
        FileBookmarkStore s = new FileBookmarkStore(compactAfterBytes);
        synchronized (s) {
            s.recovering = true;
            s.file = StoreFile.open(path, "FBMK", fsync == FsyncPolicy.ALWAYS, s::recover);
            s.recovering = false;
            s.compactedSize = s.file.size();
        }
        return s;
    }

    private void recover(ByteBuffer body) {
        byte op = body.get();
        String subId = read(body);
        String bookmark = read(body);
        if (op == 'b') {
            log(subId, bookmark);
        } else if (op == 'd') {
            discard(subId, bookmark);
        } else if (op == 'p') {
            purge(subId);
        }
    }

    private static String read(ByteBuffer b) {
        byte[] bytes = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] record(char op, String subId, String bookmark) {
        byte[] s = subId.getBytes(StandardCharsets.UTF_8);
        byte[] b = bookmark.getBytes(StandardCharsets.UTF_8);
        if (s.length > 0xFFFF || b.length > 0xFFFF) {
            throw new StoreException("subscription id or bookmark too long for the bookmark store", null);
        }
        return ByteBuffer.allocate(5 + s.length + b.length).put((byte) op).putShort((short) s.length).put(s)
                .putShort((short) b.length).put(b).array();
    }

    @Override
    void logged(String subId, String bookmark) {
        append('b', subId, bookmark);
    }

    @Override
    void discarded(String subId, String bookmark) {
        append('d', subId, bookmark);
    }

    @Override
    void purged(String subId) {
        append('p', subId, "");
    }

    private void append(char op, String subId, String bookmark) {
        if (recovering) {
            return;
        }
        file.append(record(op, subId, bookmark));
        if (file.size() - compactedSize >= compactAfterBytes) {
            List<byte[]> bodies = new ArrayList<>();
            forEachRecord((discard, s, b) -> bodies.add(record(discard ? 'd' : 'b', s, b)));
            file.rewrite(bodies);
            compactedSize = file.size();
        }
    }

    /** The store file. */
    public Path path() {
        return file.path();
    }

    /** Closes the file and releases its lock. */
    @Override
    public synchronized void close() {
        file.close();
    }
}
