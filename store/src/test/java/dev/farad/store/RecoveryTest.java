package dev.farad.store;

import static dev.farad.store.LogTesting.publish;
import static dev.farad.store.LogTesting.readAll;
import static dev.farad.store.LogTesting.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.store.internal.LogFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecoveryTest {
  private static final int PAYLOAD = 40;
  private static final int RECORD_BYTES = LogFormat.encodedSize("orders", "p", null, null, PAYLOAD);

  @TempDir
  Path dir;

  private LogConfig config(Path directory) {
    return LogConfig.builder(directory).segmentBytes(4096).build();
  }

  /** Writes {@code count} records to a fresh log in {@code directory} and returns its first segment's bytes. */
  private byte[] writeRecords(Path directory, int count) throws IOException {
    try (FileTransactionLog log = FileTransactionLog.open(config(directory))) {
      for (int i = 1; i <= count; i++) {
        publish(log, "p", i, PAYLOAD);
      }
    }
    return Files.readAllBytes(directory.resolve(LogFormat.fileName(1)));
  }

  private static long recordOffset(long sequence) {
    return LogFormat.HEADER_BYTES + (sequence - 1) * RECORD_BYTES;
  }

  @Test
  void shouldCutTheLastRecordTornAtEveryByteOffset() throws IOException {
    byte[] full = writeRecords(dir.resolve("original"), 3);
    int lastStart = (int) recordOffset(3);
    assertThat(full).hasSize(lastStart + RECORD_BYTES);

    for (int cut = lastStart; cut < full.length; cut++) {
      Path copy = dir.resolve("cut-" + cut);
      Files.createDirectories(copy);
      Path segment = copy.resolve(LogFormat.fileName(1));
      Files.write(segment, Arrays.copyOf(full, cut));

      try (FileTransactionLog log = FileTransactionLog.open(config(copy))) {
        assertThat(sequences(readAll(log, 0))).as("cut at %d", cut).containsExactly(1L, 2L);
        assertThat(log.lastSequence()).isEqualTo(2);
        assertThat(log.durableSequence()).isEqualTo(2);
        assertThat(Files.size(segment)).isEqualTo(lastStart);
        assertThat(log.lastPublisherSequence("p")).isEqualTo(2);
      }
    }
  }

  @Test
  void shouldDeleteALastSegmentWhoseHeaderIsTorn() throws IOException {
    byte[] full = writeRecords(dir.resolve("original"), 1);
    for (int cut = 0; cut <= LogFormat.HEADER_BYTES; cut++) {
      Path copy = dir.resolve("cut-" + cut);
      Files.createDirectories(copy);
      byte[] torn = Arrays.copyOf(full, cut);
      if (cut == LogFormat.HEADER_BYTES) {
        torn[3] = 0;
      }
      Files.write(copy.resolve(LogFormat.fileName(1)), torn);

      try (FileTransactionLog log = FileTransactionLog.open(config(copy))) {
        assertThat(readAll(log, 0)).as("cut at %d", cut).isEmpty();
        assertThat(publish(log, "p", 1, PAYLOAD)).isEqualTo(1);
      }
    }
  }

  @Test
  void shouldSetAsideALastSegmentWhoseHeaderIsGarbageAfterPowerLoss() throws IOException {
    writeRecords(dir, 3);
    // A new segment created just before the crash: its header never reached the disk, and the
    // file holds whatever the file system left (here: the start of a record).
    Path torn = dir.resolve(LogFormat.fileName(4));
    byte[] garbage = new byte[LogFormat.HEADER_BYTES + 10];
    Arrays.fill(garbage, (byte) 0xab);
    Files.write(torn, garbage);

    try (FileTransactionLog log = FileTransactionLog.open(config(dir))) {
      assertThat(sequences(readAll(log, 0))).containsExactly(1L, 2L, 3L);
      assertThat(publish(log, "p", 4, PAYLOAD)).isEqualTo(4);
    }
    assertThat(dir.resolve(LogFormat.fileName(4) + ".torn")).exists();
  }

  /** Writes three records and flips a payload byte of record {@code sequence}; returns the damaged bytes. */
  private byte[] writeThreeAndCorrupt(long sequence) throws IOException {
    byte[] bytes = writeRecords(dir, 3);
    bytes[(int) recordOffset(sequence) + RECORD_BYTES - 1] ^= 0x55;
    Files.write(dir.resolve(LogFormat.fileName(1)), bytes);
    return bytes;
  }

  @Test
  void shouldCutACorruptLastRecord() throws IOException {
    writeThreeAndCorrupt(3);
    Path segment = dir.resolve(LogFormat.fileName(1));

    try (FileTransactionLog log = FileTransactionLog.open(config(dir))) {
      assertThat(sequences(readAll(log, 0))).containsExactly(1L, 2L);
      assertThat(Files.size(segment)).isEqualTo(recordOffset(3));
      assertThat(publish(log, "p", 3, PAYLOAD)).isEqualTo(3);
    }
  }

  @Test
  void shouldRefuseACorruptRecordInTheMiddle() throws IOException {
    byte[] bytes = writeThreeAndCorrupt(2);
    Path segment = dir.resolve(LogFormat.fileName(1));

    assertThatThrownBy(() -> FileTransactionLog.open(config(dir)))
        .isInstanceOfSatisfying(LogCorruptedException.class, e -> {
          assertThat(e.file()).isEqualTo(segment);
          assertThat(e.offset()).isEqualTo(recordOffset(2));
          assertThat(e.expectedChecksum()).isNotEqualTo(e.actualChecksum());
          assertThat(e.actualChecksum()).isNotEqualTo(LogCorruptedException.NO_CHECKSUM);
          assertThat(e).hasMessageContaining(segment.toString()).hasMessageContaining("offset " + recordOffset(2))
              .hasMessageContaining("checksum mismatch");
        });
    assertThat(Files.readAllBytes(segment)).isEqualTo(bytes);
  }

  @Test
  void shouldRefuseACorruptLengthFollowedByValidRecords() throws IOException {
    byte[] bytes = writeRecords(dir, 3);
    ByteBuffer.wrap(bytes).putInt((int) recordOffset(2), RECORD_BYTES * 5);
    Files.write(dir.resolve(LogFormat.fileName(1)), bytes);

    assertThatThrownBy(() -> FileTransactionLog.open(config(dir)))
        .isInstanceOfSatisfying(LogCorruptedException.class,
            e -> assertThat(e.offset()).isEqualTo(recordOffset(2)));
  }

  @Test
  void shouldRefuseACorruptTailInASegmentThatIsNotTheLast() throws IOException {
    int perSegment = (4096 - LogFormat.HEADER_BYTES) / RECORD_BYTES;
    writeRecords(dir, perSegment + 5);
    Path first = dir.resolve(LogFormat.fileName(1));
    byte[] bytes = Files.readAllBytes(first);
    bytes[bytes.length - 1] ^= 0x55;
    Files.write(first, bytes);

    assertThatThrownBy(() -> FileTransactionLog.open(config(dir)))
        .isInstanceOfSatisfying(LogCorruptedException.class, e -> {
          assertThat(e.file()).isEqualTo(first);
          assertThat(e.offset()).isEqualTo(recordOffset(perSegment));
        });
  }

  @Test
  void shouldRefuseAnUnknownFormatVersion() throws IOException {
    byte[] bytes = writeRecords(dir, 1);
    ByteBuffer header = ByteBuffer.wrap(bytes);
    header.putShort(4, (short) 2);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 24);
    header.putInt(24, (int) crc.getValue());
    Files.write(dir.resolve(LogFormat.fileName(1)), bytes);

    assertThatThrownBy(() -> FileTransactionLog.open(config(dir)))
        .isInstanceOf(IOException.class).hasMessageContaining("unsupported log format version 2");
  }

  @Test
  void shouldContinueSequencesAfterReopenAcrossSegments() throws IOException {
    int perSegment = (4096 - LogFormat.HEADER_BYTES) / RECORD_BYTES;
    writeRecords(dir, perSegment * 2 + 3);
    try (FileTransactionLog log = FileTransactionLog.open(config(dir))) {
      assertThat(log.lastSequence()).isEqualTo(perSegment * 2L + 3);
      assertThat(log.firstSequence()).isEqualTo(1);
      assertThat(publish(log, "p", 1000, PAYLOAD)).isEqualTo(perSegment * 2L + 4);
    }
    try (FileTransactionLog log = FileTransactionLog.open(config(dir))) {
      assertThat(readAll(log, 0)).hasSize(perSegment * 2 + 4);
      assertThat(log.lastPublisherSequence("p")).isEqualTo(1000);
    }
  }
}
