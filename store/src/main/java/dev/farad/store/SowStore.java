package dev.farad.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The in-memory State of the World: the latest record per key, per topic, with optional expiry.
 *
 * <p>Role: the engine thread applies publishes ({@link #put}) and deletes ({@link #remove},
 * {@link #removeIf}) in log order and answers SOW queries by iterating {@link #records(String)}. After a
 * restart the engine rebuilds it by replaying the transaction log.
 *
 * <p>Not thread-safe; confine to the engine thread.
 *
 * <pre>{@code
 * SowStore sow = new SowStore();
 * SowRecord previous = sow.put("orders", "k1", body, seq, SowStore.NEVER_EXPIRES);
 * sow.expire(nowMicros, expired -> sendOutOfFocus(expired));
 * }</pre>
 *
 * <p>Pitfalls: {@link #records(String)} is a live view; modifying the store while iterating it throws
 * {@link java.util.ConcurrentModificationException}. Arrays passed in are kept, not copied.
 */
public final class SowStore {
  /** {@code expiresAtMicros} of a record that never expires. */
  public static final long NEVER_EXPIRES = 0;

  private static final Comparator<SowRecord> BY_EXPIRY = Comparator.comparingLong(SowRecord::expiresAtMicros);

  private final Map<String, Map<String, SowRecord>> topics = new HashMap<>();
  /** Records with an expiry; may hold replaced or removed versions, skipped when they come due. */
  private final PriorityQueue<SowRecord> expiries = new PriorityQueue<>(BY_EXPIRY);
  private int size;

  /**
   * Inserts or replaces the record of {@code key} in {@code topic}.
   *
   * @param expiresAtMicros expiry time in micros since the epoch, or {@link #NEVER_EXPIRES}
   * @return the record it replaced, or {@code null}
   */
  public SowRecord put(String topic, String key, byte[] data, long sequence, long expiresAtMicros) {
    SowRecord record = new SowRecord(topic, key, data, sequence, expiresAtMicros);
    SowRecord previous = topics.computeIfAbsent(topic, t -> new HashMap<>()).put(key, record);
    if (previous == null) {
      size++;
    }
    if (record.expires()) {
      expiries.add(record);
      compactExpiriesIfStale();
    }
    return previous;
  }

  /** The record of {@code key} in {@code topic}, or {@code null}. */
  public SowRecord get(String topic, String key) {
    Map<String, SowRecord> records = topics.get(Objects.requireNonNull(topic, "topic"));
    return records == null ? null : records.get(Objects.requireNonNull(key, "key"));
  }

  /** Removes and returns the record of {@code key} in {@code topic}, or returns {@code null}. */
  public SowRecord remove(String topic, String key) {
    Map<String, SowRecord> records = topics.get(Objects.requireNonNull(topic, "topic"));
    SowRecord removed = records == null ? null : records.remove(Objects.requireNonNull(key, "key"));
    if (removed != null) {
      size--;
    }
    return removed;
  }

  /**
   * Removes every record of {@code topic} that matches {@code filter} and passes each to
   * {@code removed}, for deletes by filter.
   *
   * @return how many records were removed
   */
  public int removeIf(String topic, Predicate<SowRecord> filter, Consumer<SowRecord> removed) {
    Map<String, SowRecord> records = topics.get(Objects.requireNonNull(topic, "topic"));
    if (records == null) {
      return 0;
    }
    int count = 0;
    for (Iterator<SowRecord> it = records.values().iterator(); it.hasNext(); ) {
      SowRecord record = it.next();
      if (filter.test(record)) {
        it.remove();
        count++;
        removed.accept(record);
      }
    }
    size -= count;
    return count;
  }

  /** A live, unmodifiable view of the records of {@code topic}, in no particular order. */
  public Collection<SowRecord> records(String topic) {
    Map<String, SowRecord> records = topics.get(Objects.requireNonNull(topic, "topic"));
    return records == null ? List.of() : Collections.unmodifiableCollection(records.values());
  }

  /** The topics that have held records; a live, unmodifiable view. */
  public Set<String> topics() {
    return Collections.unmodifiableSet(topics.keySet());
  }

  /** Number of records in {@code topic}. */
  public int size(String topic) {
    Map<String, SowRecord> records = topics.get(Objects.requireNonNull(topic, "topic"));
    return records == null ? 0 : records.size();
  }

  /** Number of records in all topics. */
  public int size() {
    return size;
  }

  /**
   * Removes every record whose expiry is at or before {@code nowMicros}, oldest expiry first, passing
   * each to {@code expired} (for out-of-focus notifications).
   *
   * @return how many records expired
   */
  public int expire(long nowMicros, Consumer<SowRecord> expired) {
    int count = 0;
    while (!expiries.isEmpty() && expiries.peek().expiresAtMicros() <= nowMicros) {
      SowRecord due = expiries.poll();
      Map<String, SowRecord> records = topics.get(due.topic());
      // Identity: only the version that was queued expires, not a later replacement.
      if (records != null && records.get(due.key()) == due) {
        records.remove(due.key());
        size--;
        count++;
        expired.accept(due);
      }
    }
    return count;
  }

  private void compactExpiriesIfStale() {
    if (expiries.size() <= 2 * size + 1024) {
      return;
    }
    List<SowRecord> live = new ArrayList<>();
    for (Map<String, SowRecord> records : topics.values()) {
      for (SowRecord record : records.values()) {
        if (record.expires()) {
          live.add(record);
        }
      }
    }
    expiries.clear();
    expiries.addAll(live);
  }
}
