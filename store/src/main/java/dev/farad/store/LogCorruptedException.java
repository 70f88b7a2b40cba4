package dev.farad.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A log file holds bytes that are not a valid record where valid data must be: a checksum mismatch or
 * a malformed record in the middle of a segment, or anywhere in a segment that is not the last one.
 *
 * <p>Thrown by {@link FileTransactionLog#open} during recovery and by {@link LogReader#next()}. A torn
 * or corrupt record at the very end of the log is not an error: recovery cuts it off. Corruption
 * followed by valid records is never skipped silently, because that would lose acknowledged data; an
 * operator has to look at the file. Immutable; thread-safe.
 */
public final class LogCorruptedException extends IOException {

  /** Value of {@link #expectedChecksum()} and {@link #actualChecksum()} when no checksum could be computed. */
  public static final long NO_CHECKSUM = -1;

  private final Path file;
  private final long offset;
  private final long expectedChecksum;
  private final long actualChecksum;

  /**
   * Creates the exception.
   *
   * @param file the damaged file
   * @param offset byte offset of the damaged record or header in {@code file}
   * @param expectedChecksum CRC32C stored in the file (unsigned), or {@link #NO_CHECKSUM}
   * @param actualChecksum CRC32C computed over the bytes found (unsigned), or {@link #NO_CHECKSUM}
   * @param problem what is wrong, for the message
   */
  public LogCorruptedException(Path file, long offset, long expectedChecksum, long actualChecksum, String problem) {
    super(message(file, offset, expectedChecksum, actualChecksum, problem));
    this.file = file;
    this.offset = offset;
    this.expectedChecksum = expectedChecksum;
    this.actualChecksum = actualChecksum;
  }

  private static String message(Path file, long offset, long expected, long actual, String problem) {
    String text = "corrupt log file " + file + " at offset " + offset + ": " + problem;
    if (expected != NO_CHECKSUM || actual != NO_CHECKSUM) {
      text += " (expected checksum " + hex(expected) + ", actual " + hex(actual) + ")";
    }
    return text;
  }

  private static String hex(long checksum) {
    return checksum == NO_CHECKSUM ? "none" : String.format("0x%08x", checksum);
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** Byte offset of the damaged record or header within {@link #file()}. */
  public long offset() {
    return offset;
  }

  /** CRC32C stored in the file, or {@link #NO_CHECKSUM}. */
  public long expectedChecksum() {
    return expectedChecksum;
  }

  /** CRC32C computed over the bytes found, or {@link #NO_CHECKSUM}. */
  public long actualChecksum() {
    return actualChecksum;
  }
}
