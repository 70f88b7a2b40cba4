package dev.farad.client;

import dev.farad.client.exceptions.StoreException;
import dev.farad.client.internal.StoreFile;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A publish store in an append-only file: what it holds survives the client process ending, so a
 * publisher restarted with the same file (and client name) replays what the broker never
 * persisted.
 *
 * <pre>{@code
 * try (FilePublishStore store = FilePublishStore.open(Path.of("router.pub"))) {
 *     client.setPublishStore(store);
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Format.</b> A {@link StoreFile} with magic {@code FPUB}; record bodies:
 * <pre>
 * STORE   (type 1): sequence (8) | expiration (8) | command | topic | ?filter | ?correlationId | data length (4) | data
 * DISCARD (type 2): sequence (8)            -- every write up to it is persisted
 * </pre>
 * Strings are Java modified UTF-8 with a 2-byte length; {@code ?} marks a 1-byte presence flag.
 * Once the file is larger than the compaction threshold and at least half of its writes are
 * discarded, it is rewritten (to a temporary file, then atomically renamed) with only the held
 * writes.
 *
 * <p><b>Durability.</b> With {@link FsyncPolicy#ALWAYS} (the default) every store and discard is
 * forced to disk before the publish returns; with {@link FsyncPolicy#NEVER} they survive a process
 * crash, not a machine crash. A torn last record (crash mid-write) is dropped at open.
 *
 * <p><b>Pitfalls.</b> One store per file: a second open, in this or another process, fails with
 * {@link StoreException} (a lock on {@code <file>.lock}). Reuse the file only with the same client
 * name: the sequences belong to it.
 *
 * <p>Thread-safe.
 */
public final class FilePublishStore extends AbstractPublishStore implements AutoCloseable {
    private static final byte STORE = 1;
    private static final byte DISCARD = 2;
    /** The default size past which a mostly-discarded file is compacted. */
    public static final long DEFAULT_COMPACT_AFTER_BYTES = 8L * 1024 * 1024;

    private final long compactAfterBytes;
    private StoreFile file;
    // Guarded by the store lock: STORE records in the file since it was last written whole.
    private long storeRecords;

    private FilePublishStore(int capacity, BackPressure backPressure, long compactAfterBytes) {
        super(capacity, backPressure);
        this.compactAfterBytes = compactAfterBytes;
    }

    /** Opens an unbounded store that fsyncs every write. */
    public static FilePublishStore open(Path path) {
        return open(path, FsyncPolicy.ALWAYS, 0, BackPressure.fail());
    }

    /**
     * Opens (or creates) a store.
     *
     * @param path the store file
     * @param fsync when appends are forced to disk
     * @param capacity the most unpersisted writes held; {@code 0} for no bound
     * @param backPressure what a write to a full store does
     * @throws StoreException if the file is in use by another store or unreadable
     */
    public static FilePublishStore open(Path path, FsyncPolicy fsync, int capacity, BackPressure backPressure) {
        return open(path, fsync, capacity, backPressure, DEFAULT_COMPACT_AFTER_BYTES);
    }

    static FilePublishStore open(Path path, FsyncPolicy fsync, int capacity, BackPressure backPressure,
            long compactAfterBytes) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fsync, "fsync");
        FilePublishStore s = new FilePublishStore(capacity, backPressure, compactAfterBytes);
        s.file = StoreFile.open(path, "FPUB", fsync == FsyncPolicy.ALWAYS, s::recover);
        return s;
    }

    private void recover(ByteBuffer body) {
        byte type = body.get();
        if (type == STORE) {
            long seq = body.getLong();
            long expiration = body.getLong();
            String command = readString(body);
            String topic = readString(body);
            String filter = readOptional(body);
            String correlationId = readOptional(body);
            byte[] data = new byte[body.getInt()];
            body.get(data);
            restore(new StoredPublish(seq, command, topic, data, filter, correlationId, expiration));
            storeRecords++;
        } else if (type == DISCARD) {
            restoreDiscard(body.getLong());
        }
    }

    private static String readString(ByteBuffer b) {
        byte[] bytes = new byte[Short.toUnsignedInt(b.getShort())];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String readOptional(ByteBuffer b) {
        return b.get() == 0 ? null : readString(b);
    }

    private static byte[] encode(StoredPublish w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + w.data().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(STORE);
            out.writeLong(w.sequence());
            out.writeLong(w.expiration());
            writeString(out, w.command());
            writeString(out, w.topic());
            writeOptional(out, w.filter());
            writeOptional(out, w.correlationId());
            out.writeInt(w.data().length);
            out.write(w.data());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new StoreException("string of " + b.length + " bytes is too long for the publish store", null);
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static void writeOptional(DataOutputStream out, String s) throws IOException {
        out.writeByte(s == null ? 0 : 1);
        if (s != null) {
            writeString(out, s);
        }
    }

    private static byte[] discardRecord(long sequence) {
        return ByteBuffer.allocate(9).put(DISCARD).putLong(sequence).array();
    }

    @Override
    protected void appended(StoredPublish write) {
        file.append(encode(write));
        storeRecords++;
    }

    @Override
    protected void discarded(long sequence) {
        file.append(discardRecord(sequence));
        long held = unpersistedCount();
        if (file.size() >= compactAfterBytes && held * 2 <= storeRecords) {
            List<byte[]> bodies = new ArrayList<>();
            bodies.add(discardRecord(lastSequence()));
            replay(w -> bodies.add(encode(w)));
            file.rewrite(bodies);
            storeRecords = bodies.size() - 1;
        }
    }

    /** The store file. */
    public Path path() {
        return file.path();
    }

    /** The store file's current size in bytes. */
    public long fileSize() {
        return file.size();
    }

    /** Closes the file and releases its lock; what it holds stays on disk. Idempotent. */
    @Override
    public synchronized void close() {
        if (file != null) {
            file.close();
        }
    }

    @Override
    public String toString() {
        return "FilePublishStore{" + file.path() + ", held=" + unpersistedCount() + "}";
    }
}
