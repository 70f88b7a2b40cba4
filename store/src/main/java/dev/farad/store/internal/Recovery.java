package dev.farad.store.internal;

import dev.farad.store.LogCorruptedException;
import dev.farad.store.LogRecord;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Scans a log directory when it is opened: verifies every header and record checksum, cuts a torn or
 * corrupt record off the tail of the last segment, and rebuilds the per-publisher sequence table.
 *
 * <p>Rules (also in {@code docs/STORAGE.md}):
 * <ul>
 *   <li>A bad record in the last segment that no valid record follows is a torn tail: the file is cut at
 *       its offset and a warning names the file, offset and bytes cut.</li>
 *   <li>A bad record followed by a valid one, or a bad record in any segment but the last, throws
 *       {@link LogCorruptedException}: acknowledged data is never skipped.</li>
 *   <li>A last segment too short to hold its header (a crash while creating it) is deleted; one
 *       whose header is bad is moved aside to {@code <name>.torn}: no record in it was ever
 *       acknowledged, because acknowledgements follow an fsync of the whole file.</li>
 * </ul>
 *
 * <p>Not thread-safe; runs once, before the writer starts.
 */
public final class Recovery {

  /**
   * What recovery found.
   *
   * @param segments the segments in order, with durable statistics filled in
   * @param publisherSequences highest publisher sequence per publisher name
   * @param lastSequence highest record sequence, or {@code 0}
   * @param nextSequenceFloor no new record may have a sequence below this (from segment names)
   * @param lastTimestampMicros timestamp of the last record, or {@link Long#MIN_VALUE}
   */
  public record Result(List<Segment> segments, Map<String, Long> publisherSequences, long lastSequence,
      long nextSequenceFloor, long lastTimestampMicros) {}

  private final ChannelFactory channels;
  private final System.Logger logger;
  private final CRC32C crc = new CRC32C();
  private final RecordCursor cursor = new RecordCursor();
  private final Map<String, Long> publisherSequences = new HashMap<>();
  private long lastSequence;
  private long lastTimestamp = Long.MIN_VALUE;

  private Recovery(ChannelFactory channels, System.Logger logger) {
    this.channels = channels;
    this.logger = logger;
  }

  /**
   * Recovers the log in {@code directory}.
   *
   * @throws LogCorruptedException if data is damaged where valid data must be
   * @throws IOException if a file cannot be read or cut, or has an unknown format version
   */
  public static Result recover(Path directory, ChannelFactory channels, System.Logger logger) throws IOException {
    return new Recovery(channels, logger).run(directory);
  }

  /** The segment files of {@code directory} by base sequence. */
  public static TreeMap<Long, Path> listSegments(Path directory) throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + LogFormat.SUFFIX)) {
      for (Path path : stream) {
        long base = LogFormat.baseSequenceOf(path.getFileName().toString());
        if (base >= 0) {
          files.put(base, path);
        }
      }
    }
    return files;
  }

  private Result run(Path directory) throws IOException {
    TreeMap<Long, Path> files = listSegments(directory);
    List<Segment> segments = new ArrayList<>();
    long floor = 1;
    for (Map.Entry<Long, Path> entry : files.entrySet()) {
      boolean last = entry.getKey().equals(files.lastKey());
      floor = Math.max(floor, entry.getKey());
      Segment segment = recoverSegment(entry.getValue(), entry.getKey(), last);
      if (segment != null) {
        segments.add(segment);
      }
    }
    return new Result(segments, publisherSequences, lastSequence, Math.max(floor, lastSequence + 1),
        lastTimestamp);
  }

  /** Set by {@link #scan} when a torn last segment should be moved aside rather than deleted. */
  private boolean quarantine;

  private Segment recoverSegment(Path file, long base, boolean last) throws IOException {
    Set<StandardOpenOption> options = last
        ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE)
        : Set.of(StandardOpenOption.READ);
    Segment segment;
    try (FileChannel channel = channels.open(file, options)) {
      segment = scan(channel, file, base, last);
    }
    if (segment == null && quarantine) {
      quarantine = false;
      Path aside = file.resolveSibling(file.getFileName() + ".torn");
      Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      logger.log(Level.WARNING, "Moved torn last segment {0} aside to {1}", file, aside);
    } else if (segment == null) {
      Files.delete(file);
    }
    return segment;
  }

  /** Verifies one segment; {@code null} if it is a torn last segment to delete. */
  private Segment scan(FileChannel channel, Path file, long base, boolean last) throws IOException {
    long size = channel.size();
    if (size < LogFormat.HEADER_BYTES) {
      if (!last) {
        throw new LogCorruptedException(file, 0, LogCorruptedException.NO_CHECKSUM,
            LogCorruptedException.NO_CHECKSUM, "segment of " + size + " bytes has no complete header");
      }
      logger.log(Level.WARNING, "Deleting torn segment {0}: {1} bytes, shorter than its header", file, String.valueOf(size));
      return null;
    }
    ByteBuffer header = ByteBuffer.allocate(LogFormat.HEADER_BYTES);
    while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
      // positional reads until the header is complete
    }
    try {
      LogFormat.checkHeader(header, file, base, crc);
    } catch (LogCorruptedException e) {
      if (last && size == LogFormat.HEADER_BYTES) {
        logger.log(Level.WARNING, "Deleting torn segment {0}: header never completed ({1})", file, e.getMessage());
        return null;
      }
      if (last && e.offset() == 0) {
        // Records are acknowledged only after an fsync of the whole file, header included, so a
        // last segment whose header is bad holds nothing that was acknowledged (a crash while it
        // was new). Keep it aside as evidence rather than refusing to start.
        logger.log(Level.WARNING, "Torn last segment {0}: bad header ({1}); nothing in it was acknowledged",
            file, e.getMessage());
        quarantine = true;
        return null;
      }
      throw e;
    }
    Segment segment = new Segment(file, base, LogFormat.HEADER_BYTES);
    cursor.reset(channel, file, LogFormat.HEADER_BYTES);
    while (true) {
      RecordCursor.Status status = cursor.next(size);
      if (status == RecordCursor.Status.END) {
        return segment;
      }
      if (status == RecordCursor.Status.RECORD && follows(cursor.record(), base)) {
        accept(segment, cursor.record(), cursor.offset());
        continue;
      }
      LogCorruptedException damage = status == RecordCursor.Status.RECORD
          ? outOfOrder(file, cursor.recordOffset(), cursor.record()) : cursor.corruption();
      long cut = cursor.recordOffset();
      if (!last || validRecordFollows(cut, size, base)) {
        throw damage;
      }
      logger.log(Level.WARNING, "Cutting torn tail of {0}: {1} bytes at offset {2} ({3})",
          file, String.valueOf(size - cut), String.valueOf(cut), damage.getMessage());
      channel.truncate(cut);
      channel.force(true);
      return segment;
    }
  }

  private boolean follows(LogRecord record, long base) {
    return record.sequence() > lastSequence && record.sequence() >= base
        && record.timestampMicros() >= lastTimestamp;
  }

  private static LogCorruptedException outOfOrder(Path file, long offset, LogRecord record) {
    return new LogCorruptedException(file, offset, LogCorruptedException.NO_CHECKSUM,
        LogCorruptedException.NO_CHECKSUM, "record sequence " + record.sequence() + " or timestamp "
        + record.timestampMicros() + " does not follow the previous record");
  }

  private void accept(Segment segment, LogRecord record, long endOffset) {
    lastSequence = record.sequence();
    lastTimestamp = record.timestampMicros();
    publisherSequences.merge(record.publisherName(), record.publisherSequence(), Math::max);
    segment.markDurable(record.sequence(), record.sequence(), record.timestampMicros(), record.timestampMicros(),
        endOffset);
  }

  /** Whether a valid, in-order record starts anywhere after the bad one at {@code badOffset}. */
  private boolean validRecordFollows(long badOffset, long size, long base) throws IOException {
    for (long at = badOffset + 1; at + LogFormat.MIN_RECORD_BYTES <= size; at++) {
      cursor.seek(at);
      if (cursor.next(size) == RecordCursor.Status.RECORD && follows(cursor.record(), base)) {
        return true;
      }
    }
    cursor.seek(badOffset);
    return false;
  }
}
