package dev.farad.store;

import static dev.farad.store.LogTesting.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.store.internal.LogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format version 1 must stay readable, and this build must still write it byte for byte. Regenerate
 * only when adding a new format version: {@code -Dfarad.store.regenerateGolden=true}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GoldenFileTest {
  private static final String RESOURCE = "/golden/v1/" + LogFormat.fileName(1);
  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.123456Z");
  private static final long T0 = 1_767_323_045_123_456L;

  @TempDir
  Path dir;

  private static final List<LogRecord> EXPECTED = List.of(
      new LogRecord(1, T0, LogRecord.Kind.PUBLISH, "orders", "router-1", 1, "k1", "c-1",
          bytes("{\"id\":1,\"qty\":100}")),
      new LogRecord(2, T0 + 1000, LogRecord.Kind.DELTA_PUBLISH, "orders", "router-1", 2, "k1", null,
          bytes("{\"id\":1,\"qty\":150}")),
      new LogRecord(3, T0 + 2000, LogRecord.Kind.SOW_DELETE, "ordres/ü", "router-2", 0, null, "c-3", new byte[0]));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldReadFormatVersion1() throws IOException {
    Files.write(dir.resolve(LogFormat.fileName(1)), golden());
    try (FileTransactionLog log = FileTransactionLog.open(LogConfig.builder(dir).build())) {
      assertThat(readAll(log, 0)).containsExactlyElementsOf(EXPECTED);
      assertThat(log.lastPublisherSequence("router-1")).isEqualTo(2);
    }
  }

  @Test
  void shouldWriteFormatVersion1ByteForByte() throws IOException {
    MutableClock clock = new MutableClock(CREATED);
    try (FileTransactionLog log = FileTransactionLog.open(LogConfig.builder(dir).clock(clock).build())) {
      for (LogRecord r : EXPECTED) {
        log.append(r.kind(), r.topic(), r.publisherName(), r.publisherSequence(), r.sowKey(), r.correlationId(),
            r.payload());
        clock.advance(Duration.ofMillis(1));
      }
    }
    byte[] written = Files.readAllBytes(dir.resolve(LogFormat.fileName(1)));
    if (Boolean.getBoolean("farad.store.regenerateGolden")) {
      Files.write(Path.of("src/test/resources" + RESOURCE), written);
    }
    assertThat(written).isEqualTo(golden());
  }

  private static byte[] golden() throws IOException {
    try (InputStream in = GoldenFileTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in).as("resource %s", RESOURCE).isNotNull();
      return in.readAllBytes();
    }
  }
}
