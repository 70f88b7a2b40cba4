package dev.farad.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.client.exceptions.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file publish store: restart, torn writes, locking, compaction. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FilePublishStoreTest {
    @TempDir
    Path dir;

    private static List<String> held(AbstractPublishStore s) {
        List<String> out = new ArrayList<>();
        s.replay(p -> out.add(p.sequence() + ":" + p.topic() + ":" + new String(p.data(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void shouldKeepUnpersistedWritesAcrossReopen() {
        Path path = dir.resolve("pub.store");
        try (FilePublishStore s = FilePublishStore.open(path)) {
            s.store(PublishStoreContractTest.write("a"));
            s.store(new StoredPublish(0, "sow_delete", "orders", new byte[0], "/id = 1", null, -1));
            s.store(PublishStoreContractTest.write("c"));
            s.discardUpTo(1);
        }
        try (FilePublishStore s = FilePublishStore.open(path)) {
            assertThat(held(s)).containsExactly("2:orders:", "3:orders:c");
            assertThat(s.get(2).filter()).isEqualTo("/id = 1");
            assertThat(s.get(2).command()).isEqualTo("sow_delete");
            assertThat(s.store(PublishStoreContractTest.write("d"))).isEqualTo(4);
        }
    }

    @Test
    void shouldKeepNumberingAfterEverythingWasDiscarded() {
        Path path = dir.resolve("pub.store");
        try (FilePublishStore s = FilePublishStore.open(path)) {
            s.store(PublishStoreContractTest.write("a"));
            s.store(PublishStoreContractTest.write("b"));
            s.discardUpTo(2);
        }
        try (FilePublishStore s = FilePublishStore.open(path)) {
            assertThat(s.unpersistedCount()).isZero();
            assertThat(s.store(PublishStoreContractTest.write("c"))).isEqualTo(3);
        }
    }

    @Test
    void shouldDropATornLastRecordAtEveryCutPoint() throws IOException {
        Path path = dir.resolve("pub.store");
        long before;
        try (FilePublishStore s = FilePublishStore.open(path, FsyncPolicy.NEVER, 0, BackPressure.fail())) {
            s.store(PublishStoreContractTest.write("a"));
            before = s.fileSize();
            s.store(PublishStoreContractTest.write("b"));
        }
        byte[] whole = Files.readAllBytes(path);
        for (long cut = before; cut < whole.length; cut++) {
            Path copy = dir.resolve("cut-" + cut);
            Files.write(copy, java.util.Arrays.copyOf(whole, (int) cut));
            try (FilePublishStore s = FilePublishStore.open(copy)) {
                assertThat(held(s)).as("cut at %d", cut).containsExactly("1:orders:a");
                assertThat(s.fileSize()).isEqualTo(before);
            }
        }
    }

    @Test
    void shouldStopAtACorruptRecord() throws IOException {
        Path path = dir.resolve("pub.store");
        try (FilePublishStore s = FilePublishStore.open(path)) {
            s.store(PublishStoreContractTest.write("a"));
            s.store(PublishStoreContractTest.write("b"));
        }
        byte[] bytes = Files.readAllBytes(path);
        bytes[bytes.length - 1] ^= 0x55;
        Files.write(path, bytes);
        try (FilePublishStore s = FilePublishStore.open(path)) {
            assertThat(held(s)).containsExactly("1:orders:a");
        }
    }

    @Test
    void shouldRefuseASecondStoreOnTheSameFile() {
        Path path = dir.resolve("pub.store");
        try (FilePublishStore s = FilePublishStore.open(path)) {
            assertThat(s.path()).isEqualTo(path);
            assertThatThrownBy(() -> FilePublishStore.open(path)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another store");
        }
        FilePublishStore.open(path).close();
    }

    @Test
    void shouldRefuseAFileLockedByAnotherProcess() throws IOException {
        Path path = dir.resolve("pub.store");
        // Another process's lock looks the same to tryLock as this channel's lock from outside the store.
        try (FileChannel other = FileChannel.open(dir.resolve("pub.store.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var lock = other.lock()) {
            assertThat(lock.isValid()).isTrue();
            assertThatThrownBy(() -> FilePublishStore.open(path)).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void shouldRejectAFileOfAnotherKind() throws IOException {
        Path path = dir.resolve("pub.store");
        Files.write(path, "NOPE....".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> FilePublishStore.open(path)).isInstanceOf(StoreException.class)
                .hasMessageContaining("bad magic");
    }

    @Test
    void shouldCompactAsPersistedAcksArrive() {
        Path path = dir.resolve("pub.store");
        try (FilePublishStore s = FilePublishStore.open(path, FsyncPolicy.NEVER, 0, BackPressure.fail(), 4096)) {
            long peak = 0;
            for (int i = 1; i <= 2000; i++) {
                s.store(PublishStoreContractTest.write("message " + i));
                if (i % 10 == 0) {
                    s.discardUpTo(i - 3);
                }
                peak = Math.max(peak, s.fileSize());
            }
            assertThat(peak).isLessThan(3 * 4096);
            assertThat(held(s)).hasSize(3);
        }
        try (FilePublishStore s = FilePublishStore.open(path)) {
            assertThat(held(s)).containsExactly("1998:orders:message 1998", "1999:orders:message 1999",
                    "2000:orders:message 2000");
            assertThat(s.store(PublishStoreContractTest.write("next"))).isEqualTo(2001);
        }
    }
}
