package dev.farad.store;

import java.io.IOException;

/**
 * Told by a {@link TransactionLog} when appended records became durable or failed to be written.
 *
 * <p>Called on the log's writer thread ({@code farad-log-writer-0}), one call at a time, never while a
 * lock of the log is held. Implementations must be quick and must not throw (an exception is logged
 * and dropped) and must not call {@link TransactionLog#append} or {@link TransactionLog#close}, which
 * could wait for this very thread. Hand the event to the engine thread instead.
 *
 * <p>Calls are in sequence order: every record is reported exactly once, either covered by an
 * {@code onDurable} or inside an {@code onFailure} range.
 */
public interface DurabilityListener {

  /** A listener that ignores every event. */
  DurabilityListener NONE = new DurabilityListener() {};

  /**
   * Every record with a sequence {@code <= highestDurableSequence} that was not reported in an
   * {@link #onFailure} range is now on stable storage (according to the {@link FsyncPolicy}).
   *
   * @param highestDurableSequence the new value of {@link TransactionLog#durableSequence()}
   */
  default void onDurable(long highestDurableSequence) {}

  /**
   * The records with sequences {@code fromSequence..toSequence} (inclusive) could not be written and
   * are not in the log; the log was cut back to the end of the last durable record. The log keeps
   * serving reads and tries later appends normally, so writes resume once the cause (for example a
   * full disk) is gone. Their sequences are never reused while the log stays open.
   *
   * @param fromSequence first failed sequence
   * @param toSequence last failed sequence, {@code >= fromSequence}
   * @param cause the I/O error, for example "No space left on device"
   */
  default void onFailure(long fromSequence, long toSequence, IOException cause) {}
}
