package dev.farad.client.internal;

import dev.farad.client.exceptions.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only file of checksummed records with an exclusive lock, shared by the file-backed
 * publish and bookmark stores.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 magic (store kind, 4 ASCII bytes)             |  file header
 * |                 format version (1)                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 body length n                                 |  each record
 * |                 CRC32C of the body                            |
 * |                 body (n bytes; first byte: record type) ...   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Integers are big-endian. On open, reading stops at the first record that is incomplete or
 * fails its checksum (a write torn by a crash) and the file is truncated there. A lock on
 * {@code <file>.lock} keeps a second process (or a second store in this one) from opening it.
 *
 * <p>Not thread-safe: the owning store serializes calls.
 */
public final class StoreFile implements AutoCloseable {
    /** The format version written in the header. */
    public static final int VERSION = 1;
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private final Path path;
    private final int magic;
    private final boolean fsync;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel channel;
    private long size;

    private StoreFile(Path path, int magic, boolean fsync, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.magic = magic;
        this.fsync = fsync;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating if needed) and locks {@code path}, handing each intact record body to {@code
     * reader} in order.
     *
     * @throws StoreException if the file is locked by another store or process, has another magic
     *     or version, or cannot be read
     */
    public static StoreFile open(Path path, String magic, boolean fsync, Consumer<ByteBuffer> reader) {
        int magicInt = ByteBuffer.wrap(magic.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).getInt();
        Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
        FileChannel lockChannel = null;
        try {
            lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StoreException("store file " + path + " is in use by another store (lock "
                        + lockPath + " is held)", null);
            }
            StoreFile f = new StoreFile(path, magicInt, fsync, lockChannel, lock);
            f.load(reader);
            return f;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new StoreException("cannot open store file " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private void load(Consumer<ByteBuffer> reader) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        long length = channel.size();
        if (length < HEADER) {
            channel.truncate(0);
            writeHeader(channel);
            size = HEADER;
            return;
        }
        ByteBuffer all = ByteBuffer.allocate((int) Math.min(length, Integer.MAX_VALUE - 8));
        while (all.hasRemaining() && channel.read(all, all.position()) > 0) {
            // read the whole file
        }
        all.flip();
        if (all.getInt() != magic) {
            throw new StoreException(path + " is not a store file of this kind (bad magic)", null);
        }
        int version = all.getInt();
        if (version != VERSION) {
            throw new StoreException(path + " has format version " + version + ", expected " + VERSION, null);
        }
        long good = HEADER;
        CRC32C crc = new CRC32C();
        while (all.remaining() >= 8) {
            int n = all.getInt();
            int expected = all.getInt();
            if (n <= 0 || n > MAX_RECORD || n > all.remaining()) {
                break;
            }
            ByteBuffer body = all.slice(all.position(), n);
            crc.reset();
            crc.update(body.duplicate());
            if ((int) crc.getValue() != expected) {
                break;
            }
            all.position(all.position() + n);
            reader.accept(body);
            good += 8 + n;
        }
        if (good < length) {
            channel.truncate(good);
        }
        size = good;
    }

    private void writeHeader(FileChannel ch) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(HEADER).putInt(magic).putInt(VERSION).flip();
        while (h.hasRemaining()) {
            ch.write(h, ch.size());
        }
    }

    /** Appends one record (and forces it if the store fsyncs). */
    public void append(byte[] body) {
        try {
            write(channel, size, body);
            size += 8 + body.length;
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new StoreException("cannot append to store file " + path + ": " + e.getMessage(), e);
        }
    }

    private static void write(FileChannel ch, long at, byte[] body) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer b = ByteBuffer.allocate(8 + body.length).putInt(body.length).putInt((int) crc.getValue())
                .put(body).flip();
        long pos = at;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    /** The file's length in bytes. */
    public long size() {
        return size;
    }

    /**
     * Replaces the file's records with {@code bodies}: written to a temporary file, forced, and
     * moved over the old one atomically, so a crash leaves either the old or the new file.
     */
    public void rewrite(List<byte[]> bodies) {
        Path tmp = path.resolveSibling(path.getFileName() + ".compact");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writeHeader(out);
                long pos = HEADER;
                for (byte[] body : bodies) {
                    write(out, pos, body);
                    pos += 8 + body.length;
                }
                out.force(true);
            }
            channel.close();
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = channel.size();
        } catch (IOException e) {
            throw new StoreException("cannot compact store file " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file. */
    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing more to do with a file we are letting go of
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
