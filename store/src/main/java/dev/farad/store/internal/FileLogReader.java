package dev.farad.store.internal;

import dev.farad.store.LogReader;
import dev.farad.store.LogRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link LogReader} over the segment files: one open file at a time, one window buffer, reads bounded
 * by each segment's durable size so it never sees bytes that a failed write may still replace.
 *
 * <p>Not thread-safe; confine to one thread (any thread).
 */
public final class FileLogReader implements LogReader {
  private final Supplier<List<Segment>> segments;
  private final ChannelFactory channels;
  private final RecordCursor cursor = new RecordCursor();
  private long lastSequence;
  private Segment current;
  private FileChannel channel;
  private boolean closed;

  /**
   * A reader that returns the records after {@code afterSequence}.
   *
   * @param segments the log's current segment list (an immutable snapshot per call)
   */
  public FileLogReader(Supplier<List<Segment>> segments, ChannelFactory channels, long afterSequence) {
    this.segments = segments;
    this.channels = channels;
    this.lastSequence = afterSequence;
  }

  @Override
  public LogRecord next() throws IOException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    while (true) {
      if (current == null && !open(startSegment())) {
        return null;
      }
      RecordCursor.Status status = cursor.next(current.durableBytes());
      if (status == RecordCursor.Status.RECORD) {
        LogRecord record = cursor.record();
        if (record.sequence() > lastSequence) {
          lastSequence = record.sequence();
          return record;
        }
      } else if (status == RecordCursor.Status.END) {
        // A later segment exists only once this one is complete, so look for it first, then re-check.
        Segment next = segmentAfter(current);
        if (next == null) {
          return null;
        }
        if (current.durableBytes() <= cursor.offset()) {
          open(next);
        }
      } else {
        throw cursor.corruption();
      }
    }
  }

  private Segment startSegment() {
    List<Segment> list = segments.get();
    Segment start = null;
    for (Segment segment : list) {
      if (start == null || segment.baseSequence() <= lastSequence + 1) {
        start = segment;
      }
    }
    return start;
  }

  private Segment segmentAfter(Segment segment) {
    for (Segment candidate : segments.get()) {
      if (candidate.baseSequence() > segment.baseSequence()) {
        return candidate;
      }
    }
    return null;
  }

  /** Switches to {@code segment}, or the first later one that still exists; false if there is none. */
  private boolean open(Segment segment) throws IOException {
    closeChannel();
    while (segment != null) {
      try {
        channel = channels.open(segment.path(), Set.of(StandardOpenOption.READ));
        current = segment;
        cursor.reset(channel, segment.path(), LogFormat.HEADER_BYTES);
        return true;
      } catch (NoSuchFileException deletedByRetention) {
        segment = segmentAfter(segment);
      }
    }
    return false;
  }

  private void closeChannel() {
    current = null;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only handle: nothing to lose
      }
      channel = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    closeChannel();
  }
}
