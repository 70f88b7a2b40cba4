package dev.farad.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Objects;

/**
 * Bookmark text: how subscribers name a point in the transaction log to replay from.
 *
 * <p>Forms:
 * <ul>
 *   <li>{@code publisherHash|logSequence|}: the message with that log sequence; {@code publisherHash}
 *       is {@link #publisherHash(String)} of its publisher's name as unsigned decimal. Replay starts
 *       after that message.</li>
 *   <li>{@link #EPOCH} {@code "0"}: the beginning of the log.</li>
 *   <li>{@link #NOW} {@code "0|1|"}: no replay, only what is appended from now on.</li>
 *   <li>A UTC timestamp {@code YYYYmmddTHHMMSS} with an optional {@code Z}: the first message logged at
 *       or after it.</li>
 *   <li>A comma-separated list of the above: replay starts at the earliest.</li>
 * </ul>
 *
 * <pre>{@code
 * String bm = Bookmarks.of("router-1", 42);             // "<hash>|42|"
 * long after = Bookmarks.resolve(bm + ",20260101T000000Z", log);
 * try (LogReader reader = log.openReader(after)) { ... }
 * }</pre>
 *
 * <p>Stateless; thread-safe. Parse errors throw {@link InvalidBookmarkFormatException}.
 *
 * <p>Pitfalls: the publisher hash in a bookmark is not checked against the log; a sequence beyond the
 * end of the log resolves to "now", and one older than retention replays from the oldest record kept.
 */
public final class Bookmarks {
  /** Replay the whole log, then continue live. */
  public static final String EPOCH = "0";
  /** No replay: only records appended after the subscription. */
  public static final String NOW = "0|1|";

  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss").withResolverStyle(ResolverStyle.STRICT);

  private Bookmarks() {}

  /** The bookmark of the record with {@code logSequence}, published by {@code publisherName}. */
  public static String of(String publisherName, long logSequence) {
    if (logSequence < 0) {
      throw new IllegalArgumentException("logSequence must be >= 0 but was " + logSequence);
    }
    return Long.toUnsignedString(publisherHash(publisherName)) + '|' + logSequence + '|';
  }

  /** FNV-1a 64-bit hash of the UTF-8 bytes of {@code publisherName}; stable across runs and platforms. */
  public static long publisherHash(String publisherName) {
    Objects.requireNonNull(publisherName, "publisherName");
    long hash = FNV_OFFSET_BASIS;
    for (byte b : publisherName.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xFF;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** Whether {@code bookmark} is {@link #NOW}. */
  public static boolean isNow(String bookmark) {
    return NOW.equals(bookmark.trim());
  }

  /** Whether {@code bookmark} is {@link #EPOCH}. */
  public static boolean isEpoch(String bookmark) {
    return EPOCH.equals(bookmark.trim());
  }

  /** Whether {@code bookmark} has the timestamp form (it may still be an invalid date). */
  public static boolean isTimestamp(String bookmark) {
    String s = bookmark.trim();
    int length = s.endsWith("Z") ? s.length() - 1 : s.length();
    if (length != 15 || s.charAt(8) != 'T') {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (i != 8 && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The log sequence named by a single {@code publisherHash|sequence|} bookmark, or {@code 0} for
   * {@link #EPOCH}.
   *
   * @throws InvalidBookmarkFormatException for any other text, including {@link #NOW}, timestamps and
   *     lists, which need a log to resolve (see {@link #resolve})
   */
  public static long parseSequence(String bookmark) {
    Objects.requireNonNull(bookmark, "bookmark");
    String s = bookmark.trim();
    if (EPOCH.equals(s)) {
      return 0;
    }
    if (NOW.equals(s)) {
      throw new InvalidBookmarkFormatException(bookmark, "NOW names no sequence; resolve it against a log");
    }
    int bar = s.indexOf('|');
    if (bar <= 0 || s.length() < bar + 3 || s.charAt(s.length() - 1) != '|' || s.indexOf('|', bar + 1) != s.length() - 1) {
      throw new InvalidBookmarkFormatException(bookmark, "not of the form publisherHash|sequence|");
    }
    String hash = s.substring(0, bar);
    String sequence = s.substring(bar + 1, s.length() - 1);
    if (!isDigits(hash) || !isDigits(sequence)) {
      throw new InvalidBookmarkFormatException(bookmark, "publisher hash and sequence must be decimal digits");
    }
    try {
      Long.parseUnsignedLong(hash);
      return Long.parseLong(sequence);
    } catch (NumberFormatException e) {
      throw new InvalidBookmarkFormatException(bookmark, "number out of range");
    }
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * The UTC instant of a timestamp bookmark {@code YYYYmmddTHHMMSS[Z]}.
   *
   * @throws InvalidBookmarkFormatException if the text is not that form or not a valid date and time
   */
  public static Instant parseTimestamp(String bookmark) {
    Objects.requireNonNull(bookmark, "bookmark");
    if (!isTimestamp(bookmark)) {
      throw new InvalidBookmarkFormatException(bookmark, "not a timestamp YYYYmmddTHHMMSS[Z]");
    }
    String s = bookmark.trim();
    try {
      return LocalDateTime.parse(s.substring(0, 15), TIMESTAMP).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new InvalidBookmarkFormatException(bookmark, "not a valid date and time");
    }
  }

  /**
   * Resolves a bookmark or comma-separated list against {@code log} to the {@code afterSequence} for
   * {@link TransactionLog#openReader(long)}; for a list, the earliest point wins.
   *
   * @throws InvalidBookmarkFormatException if the text, or any element of the list, is malformed
   * @throws IOException if the log cannot be searched for a timestamp
   */
  public static long resolve(String bookmarks, TransactionLog log) throws IOException {
    Objects.requireNonNull(bookmarks, "bookmarks");
    Objects.requireNonNull(log, "log");
    if (bookmarks.isBlank()) {
      throw new InvalidBookmarkFormatException(bookmarks, "empty");
    }
    long earliest = Long.MAX_VALUE;
    for (String element : bookmarks.split(",", -1)) {
      if (element.isBlank()) {
        throw new InvalidBookmarkFormatException(bookmarks, "empty list element");
      }
      earliest = Math.min(earliest, resolveOne(element, log));
    }
    return earliest;
  }

  private static long resolveOne(String bookmark, TransactionLog log) throws IOException {
    if (isNow(bookmark)) {
      return log.lastSequence();
    }
    if (isTimestamp(bookmark)) {
      return log.sequenceAtOrAfter(parseTimestamp(bookmark)) - 1;
    }
    return Math.min(parseSequence(bookmark), log.lastSequence());
  }
}
