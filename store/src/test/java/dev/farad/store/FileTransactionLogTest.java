package dev.farad.store;

import static dev.farad.store.LogTesting.payload;
import static dev.farad.store.LogTesting.publish;
import static dev.farad.store.LogTesting.readAll;
import static dev.farad.store.LogTesting.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.farad.store.LogTesting.RecordingListener;
import dev.farad.store.internal.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FileTransactionLogTest {
  private static final Instant START = Instant.parse("2026-11-24T06:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(START);
  private final RecordingListener listener = new RecordingListener();

  private LogConfig.Builder config() {
    return LogConfig.builder(dir).clock(clock);
  }

  @Test
  void shouldReadBackAppendedRecordsWithAllFields() throws IOException {
    try (FileTransactionLog log = FileTransactionLog.open(config().build(), listener)) {
      long first = log.append(LogRecord.Kind.PUBLISH, "orders", "router-1", 7, "key-1", "cid-1", payload(1, 128));
      clock.advance(Duration.ofMillis(5));
      long second = log.append(LogRecord.Kind.DELTA_PUBLISH, "trades/é", "router-2", 0, null, null, new byte[0]);
      long third = log.append(LogRecord.Kind.SOW_DELETE, "orders", "router-1", 8, "key-1", null, new byte[] {1});
      assertThat(List.of(first, second, third)).containsExactly(1L, 2L, 3L);
      listener.awaitDurable(3);

      List<LogRecord> records = readAll(log, 0);

      assertThat(records).containsExactly(
          new LogRecord(1, 1_795_500_000_000_000L, LogRecord.Kind.PUBLISH, "orders", "router-1", 7, "key-1", "cid-1",
              payload(1, 128)),
          new LogRecord(2, 1_795_500_000_005_000L, LogRecord.Kind.DELTA_PUBLISH, "trades/é", "router-2", 0, null,
              null, new byte[0]),
          new LogRecord(3, 1_795_500_000_005_000L, LogRecord.Kind.SOW_DELETE, "orders", "router-1", 8, "key-1",
              null, new byte[] {1}));
      assertThat(log.firstSequence()).isEqualTo(1);
      assertThat(log.lastSequence()).isEqualTo(3);
      assertThat(log.durableSequence()).isEqualTo(3);
    }
  }

  @Test
  void shouldRoundTripRecordsLargerThanAWriteChunk() throws IOException {
    byte[] big = payload(1, 3 * 1024 * 1024 + 17);
    try (FileTransactionLog log = FileTransactionLog.open(config().build(), listener)) {
      publish(log, "p", 1, 10);
      log.append(LogRecord.Kind.PUBLISH, "big", "p", 2, null, null, big);
      publish(log, "p", 3, 10);
      listener.awaitDurable(3);

      List<LogRecord> records = readAll(log, 0);
      assertThat(sequences(records)).containsExactly(1L, 2L, 3L);
      assertThat(records.get(1).payload()).isEqualTo(big);
    }
  }

  @Test
  void shouldAssignIncreasingSequencesAndReadFromAnyPoint() throws IOException {
    try (FileTransactionLog log = FileTransactionLog.open(config().build(), listener)) {
      for (int i = 1; i <= 500; i++) {
        assertThat(publish(log, "p", i, 32)).isEqualTo(i);
      }
      listener.awaitDurable(500);

      assertThat(sequences(readAll(log, 0))).containsExactlyElementsOf(LongStream.rangeClosed(1, 500).boxed().toList());
      assertThat(sequences(readAll(log, 250))).containsExactlyElementsOf(
          LongStream.rangeClosed(251, 500).boxed().toList());
      assertThat(readAll(log, 500)).isEmpty();
      assertThat(listener.durableEvents).isSorted();
    }
  }

  @Test
  void shouldReportDurableOnlyAfterTheForceCoveringIt() throws Exception {
    InstrumentedChannels channels = new InstrumentedChannels();
    List<long[]> ackAndForcedSize = new ArrayList<>();
    DurabilityListener checking = new DurabilityListener() {
      @Override
      public void onDurable(long highestDurableSequence) {
        ackAndForcedSize.add(new long[] {highestDurableSequence, channels.lastForcedSize()});
        listener.onDurable(highestDurableSequence);
      }
    };
    try (FileTransactionLog log = LogTesting.open(config().build(), checking, channels)) {
      int forcesAtOpen = channels.forces.get();
      channels.forceEntered = new CountDownLatch(1);
      channels.forceGate = new CountDownLatch(1);
      publish(log, "p", 1, 128);
      assertThat(channels.forceEntered.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 2; i <= 100; i++) {
        publish(log, "p", i, 128);
      }
      assertThat(log.durableSequence()).isZero();
      assertThat(listener.durableEvents).isEmpty();

      channels.forceGate.countDown();
      listener.awaitDurable(100);

      // One force for the record that was being written, one for the 99 queued meanwhile.
      assertThat(channels.forces.get() - forcesAtOpen).isEqualTo(2);
      int recordBytes = LogFormat.encodedSize("orders", "p", null, null, 128);
      for (long[] event : ackAndForcedSize) {
        long endOfAckedRecord = LogFormat.HEADER_BYTES + event[0] * recordBytes;
        assertThat(event[1]).as("forced size when %d was acked", event[0]).isGreaterThanOrEqualTo(endOfAckedRecord);
      }
    }
  }

  @Test
  void shouldRollSegmentsNamedByFirstSequence() throws IOException {
    int recordBytes = LogFormat.encodedSize("orders", "p", null, null, 200);
    int perSegment = (4096 - LogFormat.HEADER_BYTES) / recordBytes;
    try (FileTransactionLog log = FileTransactionLog.open(config().segmentBytes(4096).build(), listener)) {
      for (int i = 1; i <= perSegment * 3; i++) {
        publish(log, "p", i, 200);
      }
      listener.awaitDurable(perSegment * 3L);

      assertThat(log.segmentFiles()).extracting(p -> p.getFileName().toString()).containsExactly(
          LogFormat.fileName(1), LogFormat.fileName(perSegment + 1L), LogFormat.fileName(2L * perSegment + 1));
      for (Path file : log.segmentFiles()) {
        assertThat(Files.size(file)).isLessThanOrEqualTo(4096);
      }
      assertThat(sequences(readAll(log, perSegment - 1L))).first().isEqualTo((long) perSegment);
      assertThat(readAll(log, 0)).hasSize(perSegment * 3);
    }
  }

  @Test
  void shouldDeleteOldestSegmentsBeyondRetentionBytes() throws IOException {
    LogConfig config = config().segmentBytes(4096).retentionBytes(3 * 4096).build();
    try (FileTransactionLog log = FileTransactionLog.open(config, listener)) {
      for (int i = 1; i <= 200; i++) {
        publish(log, "p", i, 200);
      }
      listener.awaitDurable(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> log.segmentFiles().size() <= 3);

      long total = 0;
      for (Path file : log.segmentFiles()) {
        total += Files.size(file);
      }
      assertThat(total).isLessThanOrEqualTo(3 * 4096);
      try (var files = Files.list(dir)) {
        assertThat(files.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(log.segmentFiles().size());
      }
      List<LogRecord> retained = readAll(log, 0);
      assertThat(retained.get(0).sequence()).isEqualTo(log.firstSequence()).isGreaterThan(1);
      assertThat(retained.get(retained.size() - 1).sequence()).isEqualTo(200);
    }
  }

  @Test
  void shouldDeleteSegmentsOlderThanRetentionAgeButNeverTheActiveOne() throws IOException {
    LogConfig config = config().segmentBytes(4096).retentionAge(Duration.ofHours(1)).build();
    try (FileTransactionLog log = FileTransactionLog.open(config, listener)) {
      for (int i = 1; i <= 60; i++) {
        publish(log, "p", i, 200);
      }
      listener.awaitDurable(60);
      assertThat(log.segmentFiles()).hasSizeGreaterThan(2);

      clock.advance(Duration.ofMinutes(59));
      publish(log, "p", 61, 200);
      listener.awaitDurable(61);
      assertThat(log.segmentFiles()).hasSizeGreaterThan(2);
      Path active = log.segmentFiles().get(log.segmentFiles().size() - 1);

      clock.advance(Duration.ofMinutes(2));
      publish(log, "p", 62, 200);
      listener.awaitDurable(62);
      await().atMost(Duration.ofSeconds(5)).until(() -> log.segmentFiles().size() == 1);
      assertThat(log.segmentFiles()).containsExactly(active);
      assertThat(sequences(readAll(log, 0))).endsWith(61L, 62L);
    }
  }

  @Test
  void shouldReportDiskFullAsFailureKeepReadingAndResumeWhenSpaceReturns() throws IOException {
    InstrumentedChannels channels = new InstrumentedChannels();
    Path segment = LogTesting.onlySegment(dir);
    try (FileTransactionLog log = LogTesting.open(config().build(), listener, channels)) {
      for (int i = 1; i <= 3; i++) {
        publish(log, "p", i, 100);
      }
      listener.awaitDurable(3);
      long goodSize = Files.size(segment);

      channels.failWrites = true;
      publish(log, "p", 4, 100);
      publish(log, "p", 5, 100);
      await().atMost(Duration.ofSeconds(5)).until(() -> listener.failedSequences().size() == 2);

      assertThat(listener.failedSequences()).containsExactly(4L, 5L);
      assertThat(listener.causes).allSatisfy(e -> assertThat(e).hasMessage(InstrumentedChannels.DISK_FULL));
      assertThat(log.durableSequence()).isEqualTo(3);
      assertThat(listener.durable.get()).isEqualTo(3);
      assertThat(Files.size(segment)).isEqualTo(goodSize);
      assertThat(sequences(readAll(log, 0))).containsExactly(1L, 2L, 3L);
      assertThat(log.lastPublisherSequence("p")).isEqualTo(3);

      channels.failWrites = false;
      assertThat(publish(log, "p", 6, 100)).isEqualTo(6);
      listener.awaitDurable(6);
      assertThat(sequences(readAll(log, 0))).containsExactly(1L, 2L, 3L, 6L);
    }
    try (FileTransactionLog reopened = FileTransactionLog.open(config().build())) {
      assertThat(sequences(readAll(reopened, 0))).containsExactly(1L, 2L, 3L, 6L);
      assertThat(reopened.lastSequence()).isEqualTo(6);
      assertThat(reopened.lastPublisherSequence("p")).isEqualTo(6);
    }
  }

  @Test
  void shouldReportFailedForceAndCutTheUnforcedRecords() throws IOException {
    InstrumentedChannels channels = new InstrumentedChannels();
    Path segment = LogTesting.onlySegment(dir);
    try (FileTransactionLog log = LogTesting.open(config().build(), listener, channels)) {
      publish(log, "p", 1, 100);
      listener.awaitDurable(1);
      long goodSize = Files.size(segment);

      channels.failForces = true;
      publish(log, "p", 2, 100);
      await().atMost(Duration.ofSeconds(5)).until(() -> listener.failedSequences().contains(2L));
      assertThat(Files.size(segment)).isEqualTo(goodSize);

      channels.failForces = false;
      publish(log, "p", 3, 100);
      listener.awaitDurable(3);
      assertThat(sequences(readAll(log, 0))).containsExactly(1L, 3L);
    }
  }

  @Test
  void shouldReopenTheSegmentWhenAnInterruptClosedItsChannel() throws IOException {
    InstrumentedChannels channels = new InstrumentedChannels();
    try (FileTransactionLog log = LogTesting.open(config().build(), listener, channels)) {
      publish(log, "p", 1, 100);
      listener.awaitDurable(1);

      channels.closeOnNextForce = true;
      publish(log, "p", 2, 100);
      await().atMost(Duration.ofSeconds(5)).until(() -> listener.failedSequences().contains(2L));
      publish(log, "p", 3, 100);
      listener.awaitDurable(3);

      assertThat(sequences(readAll(log, 0))).containsExactly(1L, 3L);
    }
  }

  @Test
  void shouldStreamToReaderWhileAppendsContinue() throws Exception {
    int count = 20_000;
    LogConfig config = config().segmentBytes(64 * 1024).build();
    try (FileTransactionLog log = FileTransactionLog.open(config, listener)) {
      List<LogRecord> seen = new ArrayList<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        try (LogReader r = log.openReader(0)) {
          while (seen.size() < count) {
            LogRecord record = r.next();
            if (record == null) {
              Thread.onSpinWait();
            } else {
              assertThat(record.sequence()).isLessThanOrEqualTo(log.durableSequence());
              seen.add(record);
            }
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "test-reader");
      reader.start();
      for (int i = 1; i <= count; i++) {
        publish(log, "p", i, 64);
      }
      reader.join(TimeUnit.SECONDS.toMillis(20));

      assertThat(failure.get()).isNull();
      assertThat(reader.isAlive()).isFalse();
      assertThat(sequences(seen)).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
      assertThat(seen.get(count - 1).payload()).isEqualTo(payload(count, 64));
      assertThat(log.segmentFiles()).hasSizeGreaterThan(1);
    }
  }

  @Test
  void shouldRebuildPublisherSequencesAfterReopen() throws IOException {
    try (FileTransactionLog log = FileTransactionLog.open(config().build(), listener)) {
      publish(log, "alpha", 5, 10);
      publish(log, "beta", 9, 10);
      publish(log, "alpha", 7, 10);
      listener.awaitDurable(3);
      assertThat(log.lastPublisherSequence("alpha")).isEqualTo(7);
      assertThat(log.lastPublisherSequence("beta")).isEqualTo(9);
    }
    try (FileTransactionLog log = FileTransactionLog.open(config().build(), listener)) {
      assertThat(log.lastPublisherSequence("alpha")).isEqualTo(7);
      assertThat(log.lastPublisherSequence("beta")).isEqualTo(9);
      assertThat(log.lastPublisherSequence("gamma")).isZero();
      assertThat(log.durableSequence()).isEqualTo(3);
      assertThat(publish(log, "gamma", 1, 10)).isEqualTo(4);
    }
  }

  @Test
  void shouldFindFirstSequenceAtOrAfterTimestamp() throws IOException {
    try (FileTransactionLog log = FileTransactionLog.open(config().segmentBytes(4096).build(), listener)) {
      for (int i = 1; i <= 100; i++) {
        publish(log, "p", i, 100);
        clock.advance(Duration.ofSeconds(1));
      }
      listener.awaitDurable(100);

      assertThat(log.sequenceAtOrAfter(START.minusSeconds(10))).isEqualTo(1);
      assertThat(log.sequenceAtOrAfter(START)).isEqualTo(1);
      assertThat(log.sequenceAtOrAfter(START.plusMillis(42_500))).isEqualTo(44);
      assertThat(log.sequenceAtOrAfter(START.plusSeconds(99))).isEqualTo(100);
      assertThat(log.sequenceAtOrAfter(START.plusSeconds(1000))).isEqualTo(101);
    }
  }

  @Test
  void shouldNeverLetTimestampsGoBackwards() throws IOException {
    try (FileTransactionLog log = FileTransactionLog.open(config().build(), listener)) {
      publish(log, "p", 1, 10);
      clock.advance(Duration.ofSeconds(-5));
      publish(log, "p", 2, 10);
      listener.awaitDurable(2);
      List<LogRecord> records = readAll(log, 0);
      assertThat(records.get(1).timestampMicros()).isEqualTo(records.get(0).timestampMicros());
    }
  }

  @Test
  void shouldCallTheListenerSetLaterOnTheWriterThread() throws IOException {
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FileTransactionLog log = FileTransactionLog.open(config().build())) {
      assertThat(List.of(log.firstSequence(), log.lastSequence(), log.durableSequence())).containsOnly(0L);
      log.setDurabilityListener(new DurabilityListener() {
        @Override
        public void onDurable(long highestDurableSequence) {
          threads.add(Thread.currentThread().getName());
          listener.onDurable(highestDurableSequence);
        }
      });
      publish(log, "p", 1, 10);
      listener.awaitDurable(1);
      assertThat(threads).containsOnly("farad-log-writer-0");
    }
  }

  @Test
  void shouldKeepReadingDurableRecordsAfterTheLogIsClosed() throws IOException {
    FileTransactionLog log = FileTransactionLog.open(config().build(), listener);
    publish(log, "p", 1, 10);
    publish(log, "p", 2, 10);
    LogReader reader = log.openReader(0);
    log.close();

    assertThat(reader.next().sequence()).isEqualTo(1);
    assertThat(reader.next().sequence()).isEqualTo(2);
    assertThat(reader.next()).isNull();
    reader.close();
    reader.close();
    assertThatThrownBy(reader::next).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldRejectBadAppendsAndAppendsAfterClose() throws IOException {
    FileTransactionLog log = FileTransactionLog.open(config().segmentBytes(4096).build(), listener);
    assertThatThrownBy(() -> log.append(LogRecord.Kind.PUBLISH, "t", "p", 1, null, null, new byte[5000]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit in a segment");
    assertThatThrownBy(() -> log.append(LogRecord.Kind.PUBLISH, "x".repeat(70_000), "p", 1, null, null, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic must be at most 65535");
    assertThatThrownBy(() -> log.append(LogRecord.Kind.PUBLISH, "t", "p", -1, null, null, new byte[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publisherSequence");
    assertThat(log.lastSequence()).isZero();
    log.close();
    log.close();
    assertThatThrownBy(() -> publish(log, "p", 1, 1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldRefuseASecondLogOnTheSameDirectory() throws IOException {
    try (FileTransactionLog log = FileTransactionLog.open(config().build())) {
      assertThatThrownBy(() -> FileTransactionLog.open(config().build()))
          .isInstanceOf(IOException.class).hasMessageContaining("already open");
      assertThat(log.lastSequence()).isZero();
    }
  }

  @Test
  void shouldWriteAndReportQueuedRecordsOnClose() throws IOException {
    FileTransactionLog log = FileTransactionLog.open(config().build(), listener);
    for (int i = 1; i <= 1000; i++) {
      publish(log, "p", i, 16);
    }
    log.close();
    assertThat(listener.durable.get()).isEqualTo(1000);
    try (FileTransactionLog reopened = FileTransactionLog.open(config().build())) {
      assertThat(readAll(reopened, 0)).hasSize(1000);
    }
  }
}
