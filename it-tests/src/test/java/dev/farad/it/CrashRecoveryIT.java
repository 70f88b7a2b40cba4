package dev.farad.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;
import dev.farad.server.RawConnection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the broker (a separate JVM) with {@code kill -9} in the middle of a stream of persisted
 * publishes, restarts it on the same data directory and checks that every publish acknowledged as
 * persisted replays from EPOCH, in order, exactly once. The power-loss variant also cuts every log
 * file back to the shortest length the acknowledgements allow and adds a torn record.
 *
 * <p>The full-size runs (100,000 publishes) are tagged {@code soak}:
 * {@code ./mvnw -B -o verify -pl it-tests -am -Dsurefire.excludedGroups= -Dtest='CrashRecoveryIT'
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {
    private static final String PUBLISHER = "crash-pub";
    private static final String PAD = "x".repeat(100);

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, String.join("\n",
                "port=0",
                "dataDirectory=" + dir.resolve("data").toString().replace("\\", "/"),
                "log.events.topic=events",
                "logSegmentBytes=1048576",
                "logFsync=every_batch",
                ""));
        return file;
    }

    @Test
    void shouldKeepEveryPersistedPublishAcrossKill9() throws Exception {
        killAndRecover(20_000, false);
    }

    @Test
    void shouldKeepEveryPersistedPublishAfterPowerLossAndTornRecord() throws Exception {
        killAndRecover(20_000, true);
    }

    @Test
    @Tag("soak")
    void shouldKeepEveryPersistedPublishAcrossKill9During100k() throws Exception {
        killAndRecover(100_000, false);
    }

    @Test
    @Tag("soak")
    void shouldKeepEveryPersistedPublishAfterPowerLossDuring100k() throws Exception {
        killAndRecover(100_000, true);
    }

    private void killAndRecover(int total, boolean powerLoss) throws Exception {
        Path config = config();
        long acked;
        try (ChildBroker broker = ChildBroker.start(config);
                RawConnection pub = new RawConnection(broker.port())) {
            assertThat(pub.logon(PUBLISHER).status()).isEqualTo("success");
            acked = publishUntilKilled(pub, broker, total);
        }
        assertThat(acked).as("publishes acked as persisted before the kill").isGreaterThanOrEqualTo(total / 2);
        if (powerLoss) {
            cutToAcknowledged(dir.resolve("data").resolve("txlog"), acked);
        }
        try (ChildBroker broker = ChildBroker.start(config);
                RawConnection c = new RawConnection(broker.port())) {
            Header logon = c.logon(PUBLISHER);
            assertThat(logon.sequence()).as("last persisted sequence at logon").isGreaterThanOrEqualTo(acked);
            List<Long> replayed = replayFromEpoch(c);
            assertThat(replayed.size()).isGreaterThanOrEqualTo((int) acked);
            for (int i = 0; i < replayed.size(); i++) {
                if (replayed.get(i) != i + 1) {
                    throw new AssertionError("replay position " + i + " holds s=" + replayed.get(i)
                            + ", expected " + (i + 1) + " (a gap or a duplicate)");
                }
            }
            assertThat((long) replayed.size()).isEqualTo(logon.sequence());
            System.out.printf("%s: %d publishes, %d acked before kill -9, %d in the log after restart%s%n",
                    getClass().getSimpleName(), total, acked, replayed.size(), powerLoss ? " (power loss)" : "");
        }
    }

    /** Publishes {@code s = 1..total} with persisted acks; kills the broker once half are acked. */
    private static long publishUntilKilled(RawConnection pub, ChildBroker broker, int total) throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                Frame f;
                while ((f = pub.readFrame(Duration.ofSeconds(20))) != null) {
                    Header h = f.header();
                    f.release();
                    if (h.command() == Command.ACK && h.ackType() == AckType.PERSISTED) {
                        if (!"success".equals(h.status())) {
                            throw new AssertionError("persisted failure " + h);
                        }
                        acked.accumulateAndGet(h.sequence(), Math::max);
                        if (acked.get() >= total / 2) {
                            broker.kill();
                            return;
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "ack-reader");
        reader.start();
        try {
            for (long s = 1; s <= total && reader.isAlive(); s++) {
                pub.send(new Header().command(Command.PUBLISH).topic("events").sequence(s)
                        .ackTypes(AckType.PERSISTED.bit()), "{\"s\":" + s + ",\"pad\":\"" + PAD + "\"}");
            }
        } catch (RuntimeException e) {
            // the broker died under us: expected
        }
        reader.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(failure.get()).isNull();
        return acked.get();
    }

    /** Subscribes from EPOCH and returns the publisher sequences replayed, in order. */
    private static List<Long> replayFromEpoch(RawConnection c) {
        String cid = c.nextCommandId();
        c.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("events").bookmark("0")
                .ackTypes(AckType.COMPLETED.bit()), (byte[]) null);
        List<Long> out = new ArrayList<>();
        while (true) {
            Frame f = c.readFrame(Duration.ofSeconds(20));
            assertThat(f).as("replay frame after " + out.size()).isNotNull();
            try {
                Header h = f.header();
                if (h.command() == Command.ACK && h.ackType() == AckType.COMPLETED) {
                    return out;
                }
                if (h.command() == Command.PUBLISH) {
                    String s = new String(f.payloadBytes(), StandardCharsets.UTF_8);
                    out.add(Long.parseLong(s.substring(5, s.indexOf(','))));
                }
            } finally {
                f.release();
            }
        }
    }

    /**
     * Simulates power loss: everything after the last acknowledged record is gone (the shortest
     * state an fsync ledger consistent with the acks allows), later segments keep only their forced
     * header, and the last file ends in half a record.
     */
    static void cutToAcknowledged(Path logDir, long acked) throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(logDir)) {
            segments = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        boolean found = false;
        byte[] someRecord = null;
        for (Path segment : segments) {
            try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (found) {
                    ch.truncate(32);
                    continue;
                }
                ByteBuffer all = ByteBuffer.allocate((int) ch.size());
                while (all.hasRemaining() && ch.read(all) >= 0) {
                    // read the whole segment
                }
                all.flip();
                int at = 32;
                while (at + 8 <= all.limit()) {
                    int length = all.getInt(at);
                    if (length <= 0 || at + 8 + length > all.limit()) {
                        break;
                    }
                    if (someRecord == null) {
                        someRecord = new byte[8 + length];
                        all.get(at, someRecord);
                    }
                    long publisherSequence = all.getLong(at + 8 + 16);
                    at += 8 + length;
                    if (publisherSequence == acked) {
                        ch.truncate(at);
                        found = true;
                        break;
                    }
                }
            }
        }
        assertThat(found).as("record with s=" + acked + " in the log").isTrue();
        try (RandomAccessFile last = new RandomAccessFile(segments.get(segments.size() - 1).toFile(), "rw")) {
            last.seek(last.length());
            last.write(someRecord, 0, someRecord.length / 2);
        }
    }
}
