package dev.farad.store.internal;

import dev.farad.store.LogCorruptedException;
import dev.farad.store.LogRecord;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Reads records one by one from a segment file through a reusable window buffer, with positional reads
 * so several cursors can share nothing but the file. Never reads past the limit it is given, so bytes
 * that may still be rewritten are never cached.
 *
 * <p>Not thread-safe; confine to one thread.
 */
public final class RecordCursor {

  /** Outcome of {@link #next(long)}. */
  public enum Status {
    /** A record was decoded; see {@link #record()}. */
    RECORD,
    /** The cursor is exactly at the limit. */
    END,
    /** Fewer bytes than the record needs remain before the limit. */
    TORN,
    /** The bytes at the cursor are not a valid record; see {@link #corruption()}. */
    CORRUPT
  }

  private static final int INITIAL_WINDOW = 64 * 1024;

  private final CRC32C crc = new CRC32C();
  private ByteBuffer window = ByteBuffer.allocate(INITIAL_WINDOW);
  private long windowStart;
  private int windowLength;
  private FileChannel channel;
  private Path file;
  private long offset;

  private LogRecord record;
  private long recordOffset;
  private long storedCrc;
  private long computedCrc;
  private String problem;

  /** Points the cursor at {@code offset} of another file, keeping the window buffer. */
  public void reset(FileChannel channel, Path file, long offset) {
    this.channel = channel;
    this.file = file;
    this.windowLength = 0;
    this.offset = offset;
  }

  /** Moves to {@code offset} in the same file; cached bytes stay valid. */
  public void seek(long offset) {
    this.offset = offset;
  }

  /** Offset of the next record to read. */
  public long offset() {
    return offset;
  }

  /** The record decoded by the last {@link #next} that returned {@link Status#RECORD}. */
  public LogRecord record() {
    return record;
  }

  /** Offset at which the last {@link #next} started. */
  public long recordOffset() {
    return recordOffset;
  }

  /** Size of the last record returned, prefix included. */
  public long recordBytes() {
    return offset - recordOffset;
  }

  /** Describes the last {@link Status#CORRUPT} or {@link Status#TORN} outcome as an exception. */
  public LogCorruptedException corruption() {
    return new LogCorruptedException(file, recordOffset, storedCrc, computedCrc, problem);
  }

  /**
   * Reads the record at the cursor if it lies entirely before {@code limit} and advances past it on
   * success. On any other outcome the cursor stays where it was.
   *
   * @throws IOException if the file cannot be read or ends before {@code limit}
   */
  public Status next(long limit) throws IOException {
    record = null;
    recordOffset = offset;
    storedCrc = LogCorruptedException.NO_CHECKSUM;
    computedCrc = LogCorruptedException.NO_CHECKSUM;
    long available = limit - offset;
    if (available <= 0) {
      return Status.END;
    }
    if (available < LogFormat.RECORD_PREFIX_BYTES) {
      problem = "only " + available + " bytes left for a record prefix";
      return Status.TORN;
    }
    int at = fill(offset, LogFormat.RECORD_PREFIX_BYTES, limit);
    int bodyLength = window.getInt(at);
    storedCrc = window.getInt(at + 4) & 0xFFFFFFFFL;
    if (bodyLength < LogFormat.BODY_FIXED_BYTES || bodyLength > LogFormat.MAX_BODY_BYTES) {
      problem = "invalid record body length " + bodyLength;
      return Status.CORRUPT;
    }
    if (LogFormat.RECORD_PREFIX_BYTES + (long) bodyLength > available) {
      problem = "record of " + (LogFormat.RECORD_PREFIX_BYTES + bodyLength) + " bytes but only " + available
          + " bytes left";
      return Status.TORN;
    }
    at = fill(offset, LogFormat.RECORD_PREFIX_BYTES + bodyLength, limit);
    int bodyStart = at + LogFormat.RECORD_PREFIX_BYTES;
    computedCrc = LogFormat.crc(window, bodyStart, bodyLength, crc);
    if (computedCrc != storedCrc) {
      problem = "record checksum mismatch";
      return Status.CORRUPT;
    }
    try {
      record = LogFormat.decodeBody(window, bodyStart, bodyLength);
    } catch (IllegalArgumentException e) {
      problem = "malformed record: " + e.getMessage();
      return Status.CORRUPT;
    }
    offset += LogFormat.RECORD_PREFIX_BYTES + bodyLength;
    return Status.RECORD;
  }

  /** Ensures bytes {@code [from, from + length)} are in the window; returns the index of {@code from}. */
  private int fill(long from, int length, long limit) throws IOException {
    if (from >= windowStart && from + length <= windowStart + windowLength) {
      return (int) (from - windowStart);
    }
    if (window.capacity() < length) {
      window = ByteBuffer.allocate(Math.max(length, window.capacity() * 2));
    }
    window.clear();
    window.limit((int) Math.min(window.capacity(), limit - from));
    windowStart = from;
    windowLength = 0;
    while (windowLength < length) {
      int n = channel.read(window, from + windowLength);
      if (n < 0) {
        throw new EOFException(file + " ends at " + (from + windowLength) + " before " + limit);
      }
      windowLength += n;
    }
    return 0;
  }
}
