package dev.farad.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LogConfigTest {
  private final LogConfig.Builder builder = LogConfig.builder(Path.of("log"));

  @Test
  void shouldHaveDefaults() {
    LogConfig config = builder.build();
    assertThat(config.segmentBytes()).isEqualTo(LogConfig.DEFAULT_SEGMENT_BYTES);
    assertThat(config.retentionBytes()).isEqualTo(LogConfig.UNLIMITED_BYTES);
    assertThat(config.retentionAge()).isEqualTo(LogConfig.UNLIMITED_AGE);
    assertThat(config.retentionAgeMicros()).isEqualTo(Long.MAX_VALUE);
    assertThat(config.fsyncPolicy()).isEqualTo(FsyncPolicy.EVERY_BATCH);
    assertThat(builder.retentionAge(Duration.ofSeconds(3, 5_000)).build().retentionAgeMicros()).isEqualTo(3_000_005);
  }

  @Test
  void shouldNameTheFieldInValidationMessages() {
    assertThatThrownBy(() -> builder.segmentBytes(10).build())
        .hasMessage("segmentBytes must be between 4096 and 1073741824 but was 10");
    assertThatThrownBy(() -> LogConfig.builder(Path.of("x")).retentionBytes(0).build())
        .hasMessage("retentionBytes must be > 0 but was 0");
    assertThatThrownBy(() -> LogConfig.builder(Path.of("x")).retentionAge(Duration.ZERO).build())
        .hasMessage("retentionAge must be > 0 but was PT0S");
    assertThatThrownBy(() -> LogConfig.builder(Path.of("x")).maxBatchRecords(0).build())
        .hasMessage("maxBatchRecords must be >= 1 but was 0");
    assertThatThrownBy(() -> LogConfig.builder(Path.of("x")).queueCapacity(0).build())
        .hasMessage("queueCapacity must be >= 1 but was 0");
    assertThatThrownBy(() -> LogConfig.builder(null).build())
        .isInstanceOf(NullPointerException.class).hasMessage("directory");
    assertThatThrownBy(() -> LogConfig.builder(Path.of("x")).clock(null).build())
        .isInstanceOf(NullPointerException.class).hasMessage("clock");
  }
}
