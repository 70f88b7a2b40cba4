package dev.farad.store;

import static dev.farad.store.LogTesting.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BookmarksTest {

  @Test
  void shouldHashPublisherNamesWithFnv1a64() {
    assertThat(Long.toUnsignedString(Bookmarks.publisherHash(""))).isEqualTo("14695981039346656037");
    assertThat(Long.toUnsignedString(Bookmarks.publisherHash("a"))).isEqualTo("12638187200555641996");
    assertThat(Bookmarks.of("a", 42)).isEqualTo("12638187200555641996|42|");
  }

  @Test
  void shouldParseSequenceBookmarksAndEpoch() {
    assertThat(Bookmarks.parseSequence(Bookmarks.of("router-1", 1234))).isEqualTo(1234);
    assertThat(Bookmarks.parseSequence("18446744073709551615|7|")).isEqualTo(7);
    assertThat(Bookmarks.parseSequence(Bookmarks.EPOCH)).isZero();
    assertThat(Bookmarks.isNow("0|1|")).isTrue();
    assertThat(Bookmarks.isEpoch(" 0 ")).isTrue();
  }

  @Test
  void shouldParseTimestampsWithAndWithoutZ() {
    assertThat(Bookmarks.parseTimestamp("20261124T063000Z")).isEqualTo(Instant.parse("2026-11-24T06:30:00Z"));
    assertThat(Bookmarks.parseTimestamp("20261124T063000")).isEqualTo(Instant.parse("2026-11-24T06:30:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1|2", "|2|", "1||", "1|2|3|", "x|2|", "1|-2|", "18446744073709551616|1|",
      "1|99999999999999999999|", "0|1|"})
  void shouldRejectJunkSequenceBookmarks(String junk) {
    assertThatThrownBy(() -> Bookmarks.parseSequence(junk))
        .isInstanceOf(InvalidBookmarkFormatException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid bookmark '" + junk.trim() + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"20261324T000000Z", "20260230T000000", "20261124T250000Z", "20261124 063000", "2026112T063000Z",
      "20261124T063000ZZ"})
  void shouldRejectJunkTimestamps(String junk) {
    assertThatThrownBy(() -> Bookmarks.parseTimestamp(junk)).isInstanceOf(InvalidBookmarkFormatException.class);
  }

  @Test
  void shouldResolveEveryFormAndTheEarliestOfAList(@TempDir Path dir) throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T06:00:00Z"));
    LogTesting.RecordingListener listener = new LogTesting.RecordingListener();
    try (FileTransactionLog log = FileTransactionLog.open(LogConfig.builder(dir).clock(clock).build(), listener)) {
      for (int i = 1; i <= 10; i++) {
        publish(log, "p", i, 10);
        clock.advance(Duration.ofMinutes(1));
      }
      listener.awaitDurable(10);

      assertThat(Bookmarks.resolve(Bookmarks.EPOCH, log)).isZero();
      assertThat(Bookmarks.resolve(Bookmarks.NOW, log)).isEqualTo(10);
      assertThat(Bookmarks.resolve(Bookmarks.of("p", 4), log)).isEqualTo(4);
      assertThat(Bookmarks.resolve(Bookmarks.of("p", 99), log)).isEqualTo(10);
      assertThat(Bookmarks.resolve("20261124T060300Z", log)).isEqualTo(3);
      assertThat(Bookmarks.resolve(Bookmarks.of("p", 7) + "," + "20261124T060200Z," + Bookmarks.NOW, log)).isEqualTo(2);
      assertThatThrownBy(() -> Bookmarks.resolve(Bookmarks.of("p", 7) + ",,0", log))
          .isInstanceOf(InvalidBookmarkFormatException.class).hasMessageContaining("empty list element");
      assertThatThrownBy(() -> Bookmarks.resolve("junk", log)).isInstanceOf(InvalidBookmarkFormatException.class);
    }
  }
}
