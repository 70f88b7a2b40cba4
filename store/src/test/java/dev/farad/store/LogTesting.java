package dev.farad.store;

import static org.awaitility.Awaitility.await;

import dev.farad.store.internal.ChannelFactory;
import dev.farad.store.internal.LogFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Shared helpers of the log tests. */
final class LogTesting {
  private LogTesting() {}

  /** Records what the log reports. Thread-safe. */
  static final class RecordingListener implements DurabilityListener {
    final AtomicLong durable = new AtomicLong();
    final List<Long> durableEvents = new CopyOnWriteArrayList<>();
    final List<long[]> failures = new CopyOnWriteArrayList<>();
    final List<IOException> causes = new CopyOnWriteArrayList<>();

    @Override
    public void onDurable(long highestDurableSequence) {
      durableEvents.add(highestDurableSequence);
      durable.set(highestDurableSequence);
    }

    @Override
    public void onFailure(long fromSequence, long toSequence, IOException cause) {
      failures.add(new long[] {fromSequence, toSequence});
      causes.add(cause);
    }

    List<Long> failedSequences() {
      List<Long> failed = new ArrayList<>();
      for (long[] range : failures) {
        for (long s = range[0]; s <= range[1]; s++) {
          failed.add(s);
        }
      }
      return failed;
    }

    void awaitDurable(long sequence) {
      await().atMost(Duration.ofSeconds(5)).until(() -> durable.get() >= sequence);
    }
  }

  static byte[] payload(long i, int size) {
    byte[] bytes = new byte[size];
    byte[] digits = Long.toString(i).getBytes(StandardCharsets.US_ASCII);
    for (int k = 0; k < size; k++) {
      bytes[k] = k < digits.length ? digits[k] : (byte) ('a' + (k % 26));
    }
    return bytes;
  }

  static long publish(TransactionLog log, String publisher, long publisherSequence, int payloadSize) {
    return log.append(LogRecord.Kind.PUBLISH, "orders", publisher, publisherSequence, null, null,
        payload(publisherSequence, payloadSize));
  }

  static List<LogRecord> readAll(TransactionLog log, long after) throws IOException {
    List<LogRecord> records = new ArrayList<>();
    try (LogReader reader = log.openReader(after)) {
      for (LogRecord r = reader.next(); r != null; r = reader.next()) {
        records.add(r);
      }
    }
    return records;
  }

  static List<Long> sequences(List<LogRecord> records) {
    List<Long> sequences = new ArrayList<>();
    for (LogRecord r : records) {
      sequences.add(r.sequence());
    }
    return sequences;
  }

  static FileTransactionLog open(LogConfig config, DurabilityListener listener, ChannelFactory channels)
      throws IOException {
    return FileTransactionLog.open(config, listener, channels);
  }

  static Path onlySegment(Path directory) {
    return directory.resolve(LogFormat.fileName(1));
  }
}
