package dev.farad.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoded bytes waiting to be written, held in a reused pool of direct buffers of
 * {@value #CHUNK_BYTES} bytes and written with one gathering write, so a batch costs one system call per
 * few megabytes instead of one per record. A record never straddles two buffers; a record larger than a
 * chunk gets a buffer of its own, dropped after the write.
 *
 * <p>Not thread-safe; confined to the log's writer thread.
 */
public final class GatheringBuffer {
  /** Size of a pooled buffer. */
  public static final int CHUNK_BYTES = 1 << 20;

  private final List<ByteBuffer> pool = new ArrayList<>();
  private ByteBuffer[] inUse = new ByteBuffer[4];
  private int used;
  private long pendingBytes;

  /** Bytes reserved since the last write or discard. */
  public long pendingBytes() {
    return pendingBytes;
  }

  /**
   * A buffer with at least {@code size} bytes remaining, positioned where the caller must put exactly
   * {@code size} bytes.
   */
  public ByteBuffer reserve(int size) {
    ByteBuffer current = used == 0 ? null : inUse[used - 1];
    if (current == null || current.remaining() < size) {
      current = next(size);
    }
    pendingBytes += size;
    return current;
  }

  private ByteBuffer next(int size) {
    ByteBuffer buffer;
    if (size > CHUNK_BYTES) {
      buffer = ByteBuffer.allocateDirect(size);
    } else {
      if (used < pool.size()) {
        buffer = pool.get(used);
      } else {
        buffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
        pool.add(buffer);
      }
      buffer.clear();
    }
    if (used == inUse.length) {
      inUse = java.util.Arrays.copyOf(inUse, used * 2);
    }
    inUse[used++] = buffer;
    return buffer;
  }

  /**
   * Writes everything reserved at the channel's position with gathering writes, then empties the
   * buffer (also when the write fails).
   *
   * @return the number of bytes written
   * @throws IOException if a write fails; part of the bytes may have reached the file
   */
  public long writeTo(FileChannel channel) throws IOException {
    long bytes = pendingBytes;
    try {
      for (int i = 0; i < used; i++) {
        inUse[i].flip();
      }
      long left = bytes;
      while (left > 0) {
        left -= channel.write(inUse, 0, used);
      }
      return bytes;
    } finally {
      discard();
    }
  }

  /** Forgets everything reserved. */
  public void discard() {
    java.util.Arrays.fill(inUse, 0, used, null);
    used = 0;
    pendingBytes = 0;
  }
}
