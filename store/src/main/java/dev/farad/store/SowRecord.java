package dev.farad.store;

import java.util.Objects;

/**
 * The current record of one key of a State of the World topic.
 *
 * <p>Immutable value, except that {@code data} is not copied: the {@link SowStore} and its callers
 * share the array and must not modify it. Thread-safe as long as nobody mutates it.
 *
 * @param topic the topic
 * @param key the SOW key within the topic
 * @param data the record (message body)
 * @param sequence log sequence of the publish that produced this version
 * @param expiresAtMicros when the record expires, micros since the epoch, or
 *     {@link SowStore#NEVER_EXPIRES}
 */
public record SowRecord(String topic, String key, byte[] data, long sequence, long expiresAtMicros) {

  /**
   * Validates the fields.
   *
   * @throws NullPointerException if {@code topic}, {@code key} or {@code data} is {@code null}
   */
  public SowRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(data, "data");
  }

  /** Whether the record has an expiry time. */
  public boolean expires() {
    return expiresAtMicros != SowStore.NEVER_EXPIRES;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SowRecord r && topic.equals(r.topic) && key.equals(r.key)
        && java.util.Arrays.equals(data, r.data) && sequence == r.sequence && expiresAtMicros == r.expiresAtMicros;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, key, java.util.Arrays.hashCode(data), sequence, expiresAtMicros);
  }

  @Override
  public String toString() {
    return "SowRecord[topic=" + topic + ", key=" + key + ", data=" + data.length + " bytes, sequence=" + sequence
        + ", expiresAtMicros=" + expiresAtMicros + "]";
  }
}
