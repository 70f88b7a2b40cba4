package dev.farad.store;

import java.io.IOException;
import java.time.Instant;

/**
 * The broker's durable, totally ordered record of publishes and deletes.
 *
 * <p>Role: {@link #append} assigns each record the next log sequence and hands it to the log's writer,
 * which makes it durable in batches and reports progress to the {@link DurabilityListener}. Readers
 * replay durable records in log order for bookmark subscriptions; the per-publisher sequence table
 * supports duplicate detection.
 *
 * <p>Threading: {@link #append} must be called by one thread only (the broker's engine thread). All
 * other methods are thread-safe. Listener callbacks run on the log's writer thread.
 *
 * <p>Lifecycle: open with {@link FileTransactionLog#open(LogConfig)}; {@link #close()} writes and
 * reports what is queued, then stops the writer.
 *
 * <pre>{@code
 * try (TransactionLog log = FileTransactionLog.open(LogConfig.builder(dir).build(), listener)) {
 *   long seq = log.append(LogRecord.Kind.PUBLISH, "orders", "router-1", 42, null, null, payload);
 *   // listener.onDurable(n) with n >= seq arrives once the batch holding seq is fsynced
 * }
 * }</pre>
 *
 * <p>Pitfalls: a sequence returned by {@link #append} is not durable yet; acknowledge a publish only
 * from {@link DurabilityListener#onDurable}. {@link #append} blocks when the writer falls behind.
 */
public interface TransactionLog extends AutoCloseable {

  /**
   * Assigns the next log sequence to a new record, stamps it with the log's clock and queues it for
   * the writer. Returns at once unless the bounded queue is full, in which case it blocks until the
   * writer has made room (back-pressure on the engine thread).
   *
   * <p>The log takes ownership of {@code payload}: do not modify it afterwards.
   *
   * @param sowKey State of the World key, or {@code null}
   * @param correlationId publisher correlation id, or {@code null}
   * @return the record's log sequence
   * @throws IllegalArgumentException if a string is longer than 65535 UTF-8 bytes, the record does not
   *     fit in one segment, or {@code publisherSequence < 0}
   * @throws IllegalStateException if the log is closed, or the thread is interrupted while waiting for
   *     room (the interrupt flag is kept and nothing is appended)
   */
  long append(
      LogRecord.Kind kind,
      String topic,
      String publisherName,
      long publisherSequence,
      String sowKey,
      String correlationId,
      byte[] payload);

  /** Replaces the listener told about durability and failures; takes effect for the next batch. */
  void setDurabilityListener(DurabilityListener listener);

  /** Highest sequence reported durable, or the last recovered sequence after open; {@code 0} if none. */
  long durableSequence();

  /** Sequence of the oldest record still retained, or {@code 0} if the log holds no record. */
  long firstSequence();

  /** Highest sequence assigned so far (appended, possibly not yet durable), or {@code 0} if none. */
  long lastSequence();

  /**
   * Highest publisher sequence among the durable records of this publisher: the value recovered from
   * the files at open, then raised as batches become durable (before the listener is told). Records
   * that were appended but are not durable yet, and records that failed, are not reflected, so the
   * engine must remember the publishes it has in flight itself.
   *
   * @return the highest durable publisher sequence, or {@code 0} if the publisher is unknown
   */
  long lastPublisherSequence(String publisherName);

  /**
   * Opens a reader positioned after {@code afterSequence}; {@code 0} replays from the oldest record.
   *
   * @throws IOException if a segment cannot be opened
   */
  LogReader openReader(long afterSequence) throws IOException;

  /**
   * The first durable sequence whose timestamp is at or after {@code timestamp}, or
   * {@code durableSequence() + 1} if no durable record is that recent. Replay for a timestamp bookmark
   * starts with {@code openReader(sequenceAtOrAfter(t) - 1)}.
   *
   * @throws IOException if a segment cannot be read
   */
  long sequenceAtOrAfter(Instant timestamp) throws IOException;

  /**
   * Stops accepting appends, writes and reports every record already queued, stops the writer thread
   * and closes the files. Idempotent; throws no checked exception. Open readers keep working on what
   * was durable.
   */
  @Override
  void close();
}
