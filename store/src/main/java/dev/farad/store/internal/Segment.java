package dev.farad.store.internal;

import java.nio.file.Path;

/**
 * Bookkeeping of one segment file: its base sequence (a lower bound of every sequence in it, and its
 * file name) and what of it is durable.
 *
 * <p>Written only by the log's writer thread (or by recovery before the writer starts); read by any
 * thread. Readers never look past {@link #durableBytes()}: bytes below it are final, bytes above it
 * may still be rewritten after a failed write.
 */
public final class Segment {
  private final Path path;
  private final long baseSequence;
  private volatile long durableBytes;
  private volatile long firstRecordSequence;
  private volatile long lastRecordSequence;
  private volatile long minTimestampMicros = Long.MAX_VALUE;
  private volatile long maxTimestampMicros = Long.MIN_VALUE;

  /** A segment whose first {@code durableBytes} bytes (at least the header) are durable. */
  public Segment(Path path, long baseSequence, long durableBytes) {
    this.path = path;
    this.baseSequence = baseSequence;
    this.durableBytes = durableBytes;
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** No record in this segment has a lower sequence; later segments hold only higher ones. */
  public long baseSequence() {
    return baseSequence;
  }

  /** Bytes of the file, header included, that hold durable records. */
  public long durableBytes() {
    return durableBytes;
  }

  /** Sequence of the first durable record, or {@code 0} if the segment holds none. */
  public long firstRecordSequence() {
    return firstRecordSequence;
  }

  /** Sequence of the last durable record, or {@code 0} if the segment holds none. */
  public long lastRecordSequence() {
    return lastRecordSequence;
  }

  /** Timestamp of the first durable record, or {@link Long#MAX_VALUE} if none. */
  public long minTimestampMicros() {
    return minTimestampMicros;
  }

  /** Timestamp of the last durable record, or {@link Long#MIN_VALUE} if none. */
  public long maxTimestampMicros() {
    return maxTimestampMicros;
  }

  /** Whether the segment holds no durable record. */
  public boolean isEmpty() {
    return lastRecordSequence == 0;
  }

  /**
   * Publishes that records {@code firstSequence..lastSequence} with timestamps
   * {@code firstTimestamp..lastTimestamp} are durable and the file's durable part now ends at
   * {@code newDurableBytes}. Writer thread (or recovery) only; {@code durableBytes} is written last so
   * a reader that sees the bytes also sees the statistics.
   */
  public void markDurable(long firstSequence, long lastSequence, long firstTimestamp, long lastTimestamp,
      long newDurableBytes) {
    if (firstRecordSequence == 0) {
      firstRecordSequence = firstSequence;
      minTimestampMicros = firstTimestamp;
    }
    lastRecordSequence = lastSequence;
    maxTimestampMicros = lastTimestamp;
    durableBytes = newDurableBytes;
  }

  @Override
  public String toString() {
    return "Segment[" + path.getFileName() + ", durableBytes=" + durableBytes + ", records="
        + firstRecordSequence + ".." + lastRecordSequence + "]";
  }
}
