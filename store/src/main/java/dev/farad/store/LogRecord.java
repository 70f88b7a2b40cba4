package dev.farad.store;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the transaction log: a publish, a delta publish or a State of the World delete, with
 * everything needed to replay it without other state.
 *
 * <p>The {@code sequence} is the log sequence assigned by {@link TransactionLog#append}; it orders all
 * records of one log. Sequences increase strictly but may have gaps where a write failed (see
 * {@link DurabilityListener#onFailure}).
 *
 * <p>Immutable value, except that {@code payload} is not copied: whoever builds a record hands the array
 * over and must not modify it afterwards; records returned by a {@link LogReader} own a fresh array.
 * Thread-safe as long as nobody mutates the payload. {@code equals} and {@code hashCode} compare the
 * payload by content; {@code toString} shows only its length, never the bytes.
 *
 * @param sequence log sequence, {@code >= 1}
 * @param timestampMicros when the log accepted the record, microseconds since the epoch (UTC);
 *     never decreases along the log
 * @param kind what the record does
 * @param topic topic the record was published to
 * @param publisherName client name of the publisher (its identity for duplicate detection)
 * @param publisherSequence the publisher's own sequence number for this message, {@code >= 0}
 *     ({@code 0} when it sent none)
 * @param sowKey State of the World key, or {@code null}
 * @param correlationId publisher-supplied correlation id, or {@code null}
 * @param payload message body; may be empty, never {@code null}
 */
public record LogRecord(
    long sequence,
    long timestampMicros,
    Kind kind,
    String topic,
    String publisherName,
    long publisherSequence,
    String sowKey,
    String correlationId,
    byte[] payload) {

  /** What a record does to the topic it names. Each kind has a stable on-disk code. */
  public enum Kind {
    /** A full message: delivered to subscribers and, on a SOW topic, inserted or replaced. */
    PUBLISH(1),
    /** A partial message merged into the existing SOW record with the same key. */
    DELTA_PUBLISH(2),
    /** Deletes the SOW record(s) named by {@code sowKey} or described by the payload. */
    SOW_DELETE(3);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** The stable code written to disk. */
    public int code() {
      return code;
    }

    /**
     * The kind with the given on-disk code.
     *
     * @throws IllegalArgumentException if no kind has that code
     */
    public static Kind ofCode(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown record kind code " + code);
    }
  }

  /**
   * Validates the fields.
   *
   * @throws NullPointerException if a non-null field is {@code null}
   * @throws IllegalArgumentException if {@code sequence < 1} or {@code publisherSequence < 0}
   */
  public LogRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(publisherName, "publisherName");
    Objects.requireNonNull(payload, "payload");
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be >= 1 but was " + sequence);
    }
    if (publisherSequence < 0) {
      throw new IllegalArgumentException("publisherSequence must be >= 0 but was " + publisherSequence);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LogRecord)) {
      return false;
    }
    LogRecord r = (LogRecord) o;
    return sequence == r.sequence
        && timestampMicros == r.timestampMicros
        && publisherSequence == r.publisherSequence
        && kind == r.kind
        && topic.equals(r.topic)
        && publisherName.equals(r.publisherName)
        && Objects.equals(sowKey, r.sowKey)
        && Objects.equals(correlationId, r.correlationId)
        && Arrays.equals(payload, r.payload);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(sequence);
    h = 31 * h + Long.hashCode(timestampMicros);
    h = 31 * h + kind.hashCode();
    h = 31 * h + topic.hashCode();
    h = 31 * h + publisherName.hashCode();
    h = 31 * h + Long.hashCode(publisherSequence);
    h = 31 * h + Objects.hashCode(sowKey);
    h = 31 * h + Objects.hashCode(correlationId);
    return 31 * h + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "LogRecord[sequence=" + sequence + ", timestampMicros=" + timestampMicros + ", kind=" + kind
        + ", topic=" + topic + ", publisherName=" + publisherName + ", publisherSequence="
        + publisherSequence + ", sowKey=" + sowKey + ", correlationId=" + correlationId
        + ", payload=" + payload.length + " bytes]";
  }
}
