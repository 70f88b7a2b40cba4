package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.client.exceptions.PublishStoreFullException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every publish store does, for the memory and the file store. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PublishStoreContractTest {
    @TempDir
    Path dir;

    private final List<AbstractPublishStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        for (AbstractPublishStore s : opened) {
            if (s instanceof FilePublishStore f) {
                f.close();
            }
        }
    }

    static Stream<Arguments> kinds() {
        BiFunction<Path, Integer, AbstractPublishStore> memory = (d, cap) ->
                new MemoryPublishStore(cap, BackPressure.block(Duration.ofMillis(200)));
        BiFunction<Path, Integer, AbstractPublishStore> file = (d, cap) -> FilePublishStore.open(
                d.resolve("p.store"), FsyncPolicy.NEVER, cap, BackPressure.block(Duration.ofMillis(200)));
        return Stream.of(Arguments.of("memory", memory), Arguments.of("file", file));
    }

    private AbstractPublishStore open(BiFunction<Path, Integer, AbstractPublishStore> kind, int capacity) {
        AbstractPublishStore s = kind.apply(dir, capacity);
        opened.add(s);
        return s;
    }

    static StoredPublish write(String data) {
        return new StoredPublish(0, "publish", "orders", data.getBytes(StandardCharsets.UTF_8), null, "c1", -1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldAssignIncreasingSequencesAndReplayHeldWritesInOrder(String name,
            BiFunction<Path, Integer, AbstractPublishStore> kind) {
        AbstractPublishStore s = open(kind, 0);
        assertThat(s.store(write("a"))).isEqualTo(1);
        assertThat(s.store(write("b"))).isEqualTo(2);
        assertThat(s.store(write("c"))).isEqualTo(3);
        s.discardUpTo(1);
        List<String> replayed = new ArrayList<>();
        s.replay(p -> replayed.add(p.sequence() + ":" + new String(p.data(), StandardCharsets.UTF_8)));
        assertThat(replayed).containsExactly("2:b", "3:c");
        assertThat(s.unpersistedCount()).isEqualTo(2);
        assertThat(s.lowestUnpersisted()).isEqualTo(2);
        assertThat(s.get(3).correlationId()).isEqualTo("c1");
        assertThat(s.get(1)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldContinueNumberingAfterTheLogonSequence(String name,
            BiFunction<Path, Integer, AbstractPublishStore> kind) {
        AbstractPublishStore s = open(kind, 0);
        s.discardUpTo(500);
        assertThat(s.store(write("a"))).isEqualTo(501);
        assertThat(s.lastSequence()).isEqualTo(501);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldFailAtOnceWhenFullWithFailPolicy(String name, BiFunction<Path, Integer, AbstractPublishStore> kind) {
        AbstractPublishStore s = name.equals("memory") ? new MemoryPublishStore(2, BackPressure.fail())
                : FilePublishStore.open(dir.resolve("f.store"), FsyncPolicy.NEVER, 2, BackPressure.fail());
        opened.add(s);
        s.store(write("a"));
        s.store(write("b"));
        assertThatThrownBy(() -> s.store(write("c"))).isInstanceOf(PublishStoreFullException.class)
                .hasMessageContaining("is full (2 unpersisted writes, back-pressure fail)")
                .hasMessageContaining("topic 'orders'");
        assertThat(s.unpersistedCount()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldBlockWhenFullUntilADiscardMakesRoom(String name, BiFunction<Path, Integer, AbstractPublishStore> kind)
            throws Exception {
        AbstractPublishStore s = open(kind, 1);
        s.store(write("a"));
        assertThatThrownBy(() -> s.store(write("b"))).isInstanceOf(PublishStoreFullException.class)
                .hasMessageContaining("block(PT0.2S)");
        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> s.store(write("b")));
        s.discardUpTo(1);
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void shouldReportWhatIsStillUnpersistedWhenAwaitingTimesOut(String name,
            BiFunction<Path, Integer, AbstractPublishStore> kind) throws Exception {
        AbstractPublishStore s = open(kind, 0);
        for (int i = 0; i < 5; i++) {
            s.store(write("m" + i));
        }
        s.discardUpTo(2);
        assertThat(s.awaitPersisted(4, Duration.ofMillis(20))).containsExactly(3L, 4L);
        CompletableFuture<List<Long>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return s.awaitPersisted(4, Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        s.discardUpTo(4);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEmpty();
    }
}
