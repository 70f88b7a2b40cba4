package dev.farad.testsupport;

import dev.farad.store.internal.ChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the transaction log's files on a pretend disk that can fill up: while {@link #full(boolean)}
 * is on, writes store half of their bytes and then fail, and {@code force} fails, both with
 * "No space left on device", as a real full file system would. Reads always work.
 *
 * <pre>{@code
 * DiskFullChannels disk = new DiskFullChannels();
 * BrokerConfig config = builder.txLog(TxLogConfig.of(dir, "orders").withChannels(disk)).build();
 * disk.full(true);   // publishes now get failure acks "tx store failure"
 * disk.full(false);  // and succeed again
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class DiskFullChannels implements ChannelFactory {
    /** The message of the injected failures. */
    public static final String NO_SPACE = "No space left on device";

    private volatile boolean full;

    /** Fills (or frees) the pretend disk. */
    public void full(boolean v) {
        this.full = v;
    }

    @Override
    public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
        return new Channel(FileChannel.open(path, options));
    }

    private final class Channel extends FileChannel {
        private final FileChannel delegate;

        Channel(FileChannel delegate) {
            this.delegate = delegate;
        }

        private int writeHalfThenFail(ByteBuffer src) throws IOException {
            ByteBuffer half = src.duplicate();
            half.limit(half.position() + src.remaining() / 2);
            delegate.write(half);
            throw new IOException(NO_SPACE);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return full ? writeHalfThenFail(src) : delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return full ? writeHalfThenFail(srcs[offset]) : delegate.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            if (full) {
                throw new IOException(NO_SPACE);
            }
            return delegate.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (full) {
                throw new IOException(NO_SPACE);
            }
            delegate.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
