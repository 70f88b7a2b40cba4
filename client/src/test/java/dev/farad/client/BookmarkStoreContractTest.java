package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Discard and most-recent semantics, for the memory and the file bookmark store. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BookmarkStoreContractTest {
    @TempDir
    Path dir;

    static Stream<Arguments> kinds() {
        Function<Path, BookmarkStore> memory = d -> new MemoryBookmarkStore();
        Function<Path, BookmarkStore> file = d -> FileBookmarkStore.open(d.resolve("bm.store"));
        return Stream.of(Arguments.of("memory", memory), Arguments.of("file", file));
    }

    private static String bm(long seq) {
        return "123|" + seq + "|";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldResumeFromEpochWhenItKnowsNothing(String name, Function<Path, BookmarkStore> kind) {
        try (BookmarkStore s = kind.apply(dir)) {
            assertThat(s.mostRecent("sub")).isEqualTo(BookmarkStore.EPOCH);
            assertThat(s.isDiscarded("sub", bm(1))).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldResumeAfterTheLastDiscardedWithNothingInFlightBeforeIt(String name, Function<Path, BookmarkStore> kind) {
        try (BookmarkStore s = kind.apply(dir)) {
            s.log("sub", bm(1));
            s.log("sub", bm(2));
            s.log("sub", bm(3));
            s.discard("sub", bm(1));
            s.discard("sub", bm(3));
            assertThat(s.mostRecent("sub")).as("2 is still being processed").isEqualTo(bm(1));
            assertThat(s.isDiscarded("sub", bm(1))).isTrue();
            assertThat(s.isDiscarded("sub", bm(2))).isFalse();
            assertThat(s.isDiscarded("sub", bm(3))).isTrue();
            s.discard("sub", bm(2));
            assertThat(s.mostRecent("sub")).isEqualTo(bm(3));
            assertThat(s.mostRecent("other")).isEqualTo(BookmarkStore.EPOCH);
            assertThat(s.isDiscarded("other", bm(1))).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldIgnoreSpecialBookmarksAndForgetPurged(String name, Function<Path, BookmarkStore> kind) {
        try (BookmarkStore s = kind.apply(dir)) {
            s.log("sub", BookmarkStore.NOW);
            s.discard("sub", "20260101T000000Z");
            assertThat(s.mostRecent("sub")).isEqualTo(BookmarkStore.EPOCH);
            s.log("sub", bm(7));
            s.discard("sub", bm(7));
            s.purge("sub");
            assertThat(s.mostRecent("sub")).isEqualTo(BookmarkStore.EPOCH);
        }
    }

    @Test
    void shouldRecoverTheMostRecentPointAfterReopen() {
        Path path = dir.resolve("bm.store");
        try (FileBookmarkStore s = FileBookmarkStore.open(path)) {
            for (long i = 1; i <= 5; i++) {
                s.log("sub", bm(i));
            }
            for (long i = 1; i <= 3; i++) {
                s.discard("sub", bm(i));
            }
            s.discard("sub", bm(5));
        }
        try (FileBookmarkStore s = FileBookmarkStore.open(path)) {
            assertThat(s.mostRecent("sub")).isEqualTo(bm(3));
            assertThat(s.isDiscarded("sub", bm(5))).isTrue();
            assertThat(s.isDiscarded("sub", bm(4))).isFalse();
        }
    }

    @Test
    void shouldCompactAndKeepTheState() {
        Path path = dir.resolve("bm.store");
        try (FileBookmarkStore s = FileBookmarkStore.open(path, FsyncPolicy.NEVER, 2048)) {
            for (long i = 1; i <= 3000; i++) {
                s.log("sub", bm(i));
                s.discard("sub", bm(i));
            }
            s.log("sub", bm(3001));
        }
        assertThat(path.toFile().length()).isLessThan(3 * 2048);
        try (FileBookmarkStore s = FileBookmarkStore.open(path)) {
            assertThat(s.mostRecent("sub")).isEqualTo(bm(3000));
            assertThat(s.isDiscarded("sub", bm(3001))).isFalse();
        }
    }
}
