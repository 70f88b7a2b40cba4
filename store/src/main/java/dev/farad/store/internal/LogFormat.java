package dev.farad.store.internal;

import dev.farad.store.LogCorruptedException;
import dev.farad.store.LogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk format of the transaction log, format version {@value #FORMAT_VERSION}. All integers are
 * big-endian; strings are UTF-8 without terminator.
 *
 * <p>A log is a directory of segment files named by their base sequence, zero-padded to 20 digits
 * ({@code 00000000000000000001.log}). Every record in a segment has a sequence {@code >=} its base,
 * and every record in a later segment a higher one.
 *
 * <h2>Segment header (32 bytes)</h2>
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  magic 0x4652444C ("FRDL")                    |  0
 * +-------------------------------+-------------------------------+
 * |      format version (1)       |      header length (32)       |  4
 * +-------------------------------+-------------------------------+
 * |                                                               |  8
 * +                  base sequence (int64)                        +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               | 16
 * +            created, micros since epoch (int64)                +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |              header CRC32C over bytes 0..23                   | 24
 * +---------------------------------------------------------------+
 * |                       reserved (0)                            | 28
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <h2>Record (48 bytes + variable part)</h2>
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          body length L (bytes after this 8-byte prefix)       |  0
 * +---------------------------------------------------------------+
 * |                 CRC32C of the L body bytes                    |  4
 * +===============================================================+ body
 * |                                                               |  8
 * +                   log sequence (int64)                        +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               | 16
 * +              timestamp, micros since epoch (int64)            +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               | 24
 * +                 publisher sequence (int64)                    +
 * |                                                               |
 * +---------------+---------------+-------------------------------+
 * |     kind      |     flags     |   publisher name length (P)   | 32
 * +---------------+---------------+-------------------------------+
 * |       topic length (T)        |      sow key length (S)       | 36
 * +-------------------------------+-------------------------------+
 * |   correlation id length (C)   |         reserved (0)          | 40
 * +-------------------------------+-------------------------------+
 * |                   payload length (D, int32)                   | 44
 * +---------------------------------------------------------------+
 * |  publisher name (P) | topic (T) | sow key (S) | corr. id (C)  | 48
 * |  payload (D) ...                                              |
 * +---------------------------------------------------------------+
 * </pre>
 * {@code kind}: 1 publish, 2 delta publish, 3 sow delete. {@code flags}: bit 0 = sow key present,
 * bit 1 = correlation id present (absent strings have length 0). {@code L = 40 + P + T + S + C + D}.
 *
 * <p>Stateless; thread-safe. Encoding and CRC helpers take the caller's buffers and {@link CRC32C}.
 */
public final class LogFormat {
  /** "FRDL". */
  public static final int MAGIC = 0x4652444C;
  /** The format version this build writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** Size of the segment header. */
  public static final int HEADER_BYTES = 32;
  /** Length and checksum in front of every record body. */
  public static final int RECORD_PREFIX_BYTES = 8;
  /** Fixed part of a record body. */
  public static final int BODY_FIXED_BYTES = 40;
  /** Smallest record: prefix and fixed body with empty strings and payload. */
  public static final int MIN_RECORD_BYTES = RECORD_PREFIX_BYTES + BODY_FIXED_BYTES;
  /** Largest body length accepted when reading; segments are at most 1 GiB. */
  public static final int MAX_BODY_BYTES = 1 << 30;
  /** Longest string field, in UTF-8 bytes. */
  public static final int MAX_STRING_BYTES = 0xFFFF;
  /** File name suffix of segments. */
  public static final String SUFFIX = ".log";

  private static final int FLAG_SOW_KEY = 1;
  private static final int FLAG_CORRELATION_ID = 2;
  private static final int HEADER_CRC_OFFSET = 24;

  private LogFormat() {}

  /** The file name of the segment whose base sequence is {@code baseSequence}. */
  public static String fileName(long baseSequence) {
    return String.format("%020d%s", baseSequence, SUFFIX);
  }

  /** The base sequence encoded in a segment file name, or {@code -1} if the name is not a segment's. */
  public static long baseSequenceOf(String fileName) {
    if (fileName.length() != 20 + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
      return -1;
    }
    for (int i = 0; i < 20; i++) {
      if (fileName.charAt(i) < '0' || fileName.charAt(i) > '9') {
        return -1;
      }
    }
    try {
      return Long.parseLong(fileName.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Writes a segment header at {@code dst}'s position and advances it. */
  public static void writeHeader(ByteBuffer dst, long baseSequence, long createdMicros, CRC32C crc) {
    int start = dst.position();
    dst.putInt(MAGIC).putShort((short) FORMAT_VERSION).putShort((short) HEADER_BYTES)
        .putLong(baseSequence).putLong(createdMicros);
    dst.putInt((int) crc(dst, start, HEADER_CRC_OFFSET, crc)).putInt(0);
  }

  /**
   * Checks the header in {@code src} (positions 0..31) against the file it came from.
   *
   * @throws LogCorruptedException if the magic, checksum or base sequence is wrong
   * @throws IOException if the file has a format version this build cannot read
   */
  public static void checkHeader(ByteBuffer src, Path file, long expectedBase, CRC32C crc) throws IOException {
    if (src.getInt(0) != MAGIC) {
      throw new LogCorruptedException(file, 0, LogCorruptedException.NO_CHECKSUM,
          LogCorruptedException.NO_CHECKSUM, String.format("bad magic 0x%08x", src.getInt(0)));
    }
    long stored = src.getInt(HEADER_CRC_OFFSET) & 0xFFFFFFFFL;
    long actual = crc(src, 0, HEADER_CRC_OFFSET, crc);
    if (stored != actual) {
      throw new LogCorruptedException(file, 0, stored, actual, "segment header checksum mismatch");
    }
    int version = src.getShort(4) & 0xFFFF;
    if (version != FORMAT_VERSION) {
      throw new IOException("unsupported log format version " + version + " in " + file
          + "; this build reads version " + FORMAT_VERSION);
    }
    long base = src.getLong(8);
    if (base != expectedBase) {
      throw new LogCorruptedException(file, 8, LogCorruptedException.NO_CHECKSUM,
          LogCorruptedException.NO_CHECKSUM, "header base sequence " + base + " does not match file name");
    }
  }

  /** UTF-8 length of {@code s} without encoding it; {@code 0} for {@code null}. */
  public static int utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    int n = s.length();
    int bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2;
          i++;
        } else {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  /**
   * Size of the record on disk, prefix included.
   *
   * @throws IllegalArgumentException naming the field, if a string exceeds {@link #MAX_STRING_BYTES}
   */
  public static int encodedSize(String topic, String publisherName, String sowKey, String correlationId,
      int payloadLength) {
    return MIN_RECORD_BYTES + checkedLength("topic", topic) + checkedLength("publisherName", publisherName)
        + checkedLength("sowKey", sowKey) + checkedLength("correlationId", correlationId) + payloadLength;
  }

  /** Size of {@code r} on disk, prefix included. */
  public static int encodedSize(LogRecord r) {
    return encodedSize(r.topic(), r.publisherName(), r.sowKey(), r.correlationId(), r.payload().length);
  }

  private static int checkedLength(String field, String s) {
    int length = utf8Length(s);
    if (length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException(field + " must be at most " + MAX_STRING_BYTES
          + " UTF-8 bytes but was " + length);
    }
    return length;
  }

  /**
   * Encodes {@code r} at {@code dst}'s position, which must have {@link #encodedSize(LogRecord)} bytes
   * remaining, and advances it.
   */
  public static void encode(LogRecord r, ByteBuffer dst, CRC32C crc) {
    byte[] publisher = r.publisherName().getBytes(StandardCharsets.UTF_8);
    byte[] topic = r.topic().getBytes(StandardCharsets.UTF_8);
    byte[] sowKey = bytesOrEmpty(r.sowKey());
    byte[] correlationId = bytesOrEmpty(r.correlationId());
    int flags = (r.sowKey() != null ? FLAG_SOW_KEY : 0) | (r.correlationId() != null ? FLAG_CORRELATION_ID : 0);
    int bodyLength = BODY_FIXED_BYTES + publisher.length + topic.length + sowKey.length + correlationId.length
        + r.payload().length;
    int start = dst.position();
    dst.putInt(bodyLength).putInt(0)
        .putLong(r.sequence()).putLong(r.timestampMicros()).putLong(r.publisherSequence())
        .put((byte) r.kind().code()).put((byte) flags).putShort((short) publisher.length)
        .putShort((short) topic.length).putShort((short) sowKey.length)
        .putShort((short) correlationId.length).putShort((short) 0)
        .putInt(r.payload().length)
        .put(publisher).put(topic).put(sowKey).put(correlationId).put(r.payload());
    dst.putInt(start + 4, (int) crc(dst, start + RECORD_PREFIX_BYTES, bodyLength, crc));
  }

  private static byte[] bytesOrEmpty(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * CRC32C of {@code length} bytes of {@code buf} from absolute index {@code from}, leaving the buffer's
   * position and limit unchanged.
   */
  public static long crc(ByteBuffer buf, int from, int length, CRC32C crc) {
    crc.reset();
    if (buf.hasArray()) {
      crc.update(buf.array(), buf.arrayOffset() + from, length);
    } else {
      int position = buf.position();
      int limit = buf.limit();
      buf.limit(from + length).position(from);
      crc.update(buf);
      buf.limit(limit).position(position);
    }
    return crc.getValue();
  }

  /**
   * Decodes a record body of {@code bodyLength} bytes starting at absolute index {@code bodyStart} of
   * a heap buffer. The checksum must already have been verified.
   *
   * @throws IllegalArgumentException describing the problem, if the body is malformed
   */
  public static LogRecord decodeBody(ByteBuffer buf, int bodyStart, int bodyLength) {
    long sequence = buf.getLong(bodyStart);
    long timestamp = buf.getLong(bodyStart + 8);
    long publisherSequence = buf.getLong(bodyStart + 16);
    int kindCode = buf.get(bodyStart + 24) & 0xFF;
    int flags = buf.get(bodyStart + 25) & 0xFF;
    int publisherLength = buf.getShort(bodyStart + 26) & 0xFFFF;
    int topicLength = buf.getShort(bodyStart + 28) & 0xFFFF;
    int sowKeyLength = buf.getShort(bodyStart + 30) & 0xFFFF;
    int correlationIdLength = buf.getShort(bodyStart + 32) & 0xFFFF;
    int payloadLength = buf.getInt(bodyStart + 36);
    if ((flags & ~(FLAG_SOW_KEY | FLAG_CORRELATION_ID)) != 0) {
      throw new IllegalArgumentException("unknown record flags 0x" + Integer.toHexString(flags));
    }
    long expected = (long) BODY_FIXED_BYTES + publisherLength + topicLength + sowKeyLength
        + correlationIdLength + payloadLength;
    if (payloadLength < 0 || expected != bodyLength) {
      throw new IllegalArgumentException("field lengths add up to " + expected + " but body length is " + bodyLength);
    }
    LogRecord.Kind kind = LogRecord.Kind.ofCode(kindCode);
    byte[] array = buf.array();
    int at = buf.arrayOffset() + bodyStart + BODY_FIXED_BYTES;
    String publisher = new String(array, at, publisherLength, StandardCharsets.UTF_8);
    at += publisherLength;
    String topic = new String(array, at, topicLength, StandardCharsets.UTF_8);
    at += topicLength;
    String sowKey = (flags & FLAG_SOW_KEY) != 0 ? new String(array, at, sowKeyLength, StandardCharsets.UTF_8) : null;
    at += sowKeyLength;
    String correlationId = (flags & FLAG_CORRELATION_ID) != 0
        ? new String(array, at, correlationIdLength, StandardCharsets.UTF_8) : null;
    at += correlationIdLength;
    byte[] payload = java.util.Arrays.copyOfRange(array, at, at + payloadLength);
    return new LogRecord(sequence, timestamp, kind, topic, publisher, publisherSequence, sowKey, correlationId,
        payload);
  }
}
