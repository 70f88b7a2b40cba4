package dev.farad.store;

import java.io.IOException;

/**
 * Iterates the durable records of a {@link TransactionLog} in log order, starting after a given
 * sequence, streaming from the segment files with a bounded buffer.
 *
 * <p>Lifecycle: obtained from {@link TransactionLog#openReader(long)}; {@link #close()} releases its
 * file handles. A reader stays valid while the log keeps appending, and after the log is closed it can
 * still read what was durable.
 *
 * <p>Not thread-safe; confine each reader to one thread, which may be any thread (not necessarily the
 * appending one). Many readers may run at once.
 *
 * <p>Pitfalls: {@link #next()} returning {@code null} means "caught up", not "end of the log": call it
 * again later, or switch to live delivery. If retention deletes segments the reader has not reached
 * yet, it continues with the oldest segment still present.
 */
public interface LogReader extends AutoCloseable {

  /**
   * The next durable record after the previous one returned, or {@code null} when the reader has
   * caught up with {@link TransactionLog#durableSequence()}.
   *
   * @return a record whose payload the caller owns, or {@code null}
   * @throws LogCorruptedException if a checksum does not match
   * @throws IOException if a file cannot be read
   * @throws IllegalStateException if the reader is closed
   */
  LogRecord next() throws IOException;

  /** Closes the reader's files. Idempotent; never throws. */
  @Override
  void close();
}
