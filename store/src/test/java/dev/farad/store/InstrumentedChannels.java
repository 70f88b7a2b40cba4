package dev.farad.store;

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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens real files wrapped in channels that count and record {@code force} calls, can hold a force
 * until released, and can fail writes (after writing half) or forces like a full disk. Thread-safe.
 */
final class InstrumentedChannels implements ChannelFactory {
  static final String DISK_FULL = "No space left on device";

  final AtomicInteger forces = new AtomicInteger();
  /** File size seen at each force, in call order. */
  final List<Long> sizesAtForce = new CopyOnWriteArrayList<>();
  volatile boolean failWrites;
  volatile boolean failForces;
  /** The next force closes its channel, as an interrupt during I/O would. */
  volatile boolean closeOnNextForce;
  volatile CountDownLatch forceEntered;
  volatile CountDownLatch forceGate;

  @Override
  public FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException {
    return new Instrumented(FileChannel.open(path, options));
  }

  /** Sizes recorded by the forces so far; the last is what the last force covered. */
  long lastForcedSize() {
    return sizesAtForce.isEmpty() ? 0 : sizesAtForce.get(sizesAtForce.size() - 1);
  }

  private final class Instrumented extends FileChannel {
    private final FileChannel delegate;

    Instrumented(FileChannel delegate) {
      this.delegate = delegate;
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
    public int write(ByteBuffer src) throws IOException {
      if (failWrites) {
        int half = src.remaining() / 2;
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + half);
        delegate.write(part);
        throw new IOException(DISK_FULL);
      }
      return delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      if (failWrites) {
        write(srcs[offset]);
      }
      return delegate.write(srcs, offset, length);
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
    public void force(boolean metaData) throws IOException {
      CountDownLatch entered = forceEntered;
      if (entered != null) {
        entered.countDown();
      }
      CountDownLatch gate = forceGate;
      if (gate != null) {
        try {
          if (!gate.await(10, TimeUnit.SECONDS)) {
            throw new IOException("test gate never opened");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      if (failForces) {
        throw new IOException(DISK_FULL);
      }
      if (closeOnNextForce) {
        closeOnNextForce = false;
        close();
        throw new java.nio.channels.ClosedByInterruptException();
      }
      delegate.force(metaData);
      sizesAtForce.add(delegate.size());
      forces.incrementAndGet();
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
    public int read(ByteBuffer dst, long position) throws IOException {
      return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      if (failWrites) {
        throw new IOException(DISK_FULL);
      }
      return delegate.write(src, position);
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
