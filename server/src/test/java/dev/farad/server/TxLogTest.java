package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;
import dev.farad.protocol.Reason;
import dev.farad.store.Bookmarks;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The broker with a transaction log: persisted acks, de-duplication, recovery and bookmark replay. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TxLogTest {
    static final int PROCESSED = AckType.PROCESSED.bit();
    static final int PERSISTED = AckType.PERSISTED.bit();
    static final int COMPLETED = AckType.COMPLETED.bit();

    @TempDir
    Path dir;
    private Broker broker;

    /** One delivery: its header and its payload as text. */
    record Delivery(Header header, String data) {}

    private Broker start() {
        broker = Broker.start(config(dir));
        return broker;
    }

    static BrokerConfig config(Path dir) {
        return TestConfigs.builder().port(0)
                .sowTopic(SowTopicConfig.keyed("orders", "/id"))
                .txLog(TxLogConfig.of(dir, "orders", "ticks\\..*", "events"))
                .build();
    }

    private void restart() {
        broker.close();
        start();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private RawConnection connect(String name) {
        RawConnection c = new RawConnection(broker.port());
        assertThat(c.logon(name).status()).isEqualTo("success");
        return c;
    }

    static void publish(RawConnection c, String topic, long seq, String data) {
        Header h = new Header().command(Command.PUBLISH).topic(topic).ackTypes(PERSISTED);
        if (seq > 0) {
            h.sequence(seq);
        }
        c.send(h, data);
    }

    /** Reads persisted acks until one covers {@code seq}; returns every ack read. */
    static List<Header> awaitPersisted(RawConnection c, long seq) {
        List<Header> acks = new ArrayList<>();
        while (true) {
            Header h = c.awaitFrame(f -> f.command() == Command.ACK && f.ackType() == AckType.PERSISTED);
            assertThat(h).as("persisted ack covering s=" + seq + " after " + acks).isNotNull();
            acks.add(h);
            if (h.sequence() >= seq) {
                return acks;
            }
        }
    }

    static Header subscribe(RawConnection c, String topic, String bookmark, String filter, String options) {
        String cid = c.nextCommandId();
        Header h = new Header().command(Command.SUBSCRIBE).commandId(cid).topic(topic).ackTypes(PROCESSED | COMPLETED);
        if (bookmark != null) {
            h.bookmark(bookmark);
        }
        if (filter != null) {
            h.filter(filter);
        }
        if (options != null) {
            h.options(options);
        }
        c.send(h, (byte[]) null);
        return c.awaitFrame(f -> f.command() == Command.ACK && f.ackType() == AckType.PROCESSED
                && cid.equals(f.commandId()));
    }

    /** Reads deliveries until the completed ack; returns them. */
    static List<Delivery> readReplay(RawConnection c) {
        List<Delivery> out = new ArrayList<>();
        while (true) {
            Frame f = c.readFrame(Duration.ofSeconds(10));
            assertThat(f).as("frame before completed, after " + out.size() + " deliveries").isNotNull();
            try {
                if (f.header().command() == Command.ACK && f.header().ackType() == AckType.COMPLETED) {
                    assertThat(f.header().status()).isEqualTo("success");
                    return out;
                }
                if (f.header().command() == Command.PUBLISH) {
                    out.add(new Delivery(f.header(), new String(f.payloadBytes(), StandardCharsets.UTF_8)));
                }
            } finally {
                f.release();
            }
        }
    }

    static List<String> data(List<Delivery> ds) {
        return ds.stream().map(Delivery::data).toList();
    }

    @Test
    void shouldAckPersistedConflatedWithHighestSequenceAndDeliverBookmarks() {
        start();
        try (RawConnection sub = connect("sub"); RawConnection pub = connect("pub")) {
            subscribe(sub, "events", null, null, null);
            for (int i = 1; i <= 200; i++) {
                publish(pub, "events", i, "{\"n\":" + i + "}");
            }
            List<Header> acks = awaitPersisted(pub, 200);
            assertThat(acks).allSatisfy(a -> assertThat(a.status()).isEqualTo("success"));
            assertThat(acks).extracting(Header::sequence).isSorted().last().isEqualTo(200L);
            assertThat(acks.size()).isLessThanOrEqualTo(200);
            List<Delivery> got = new ArrayList<>();
            while (got.size() < 200) {
                Frame f = sub.readFrame(Duration.ofSeconds(5));
                assertThat(f).isNotNull();
                got.add(new Delivery(f.header(), new String(f.payloadBytes(), StandardCharsets.UTF_8)));
                f.release();
            }
            assertThat(got.get(0).data()).isEqualTo("{\"n\":1}");
            assertThat(got.get(199).data()).isEqualTo("{\"n\":200}");
            assertThat(got.get(0).header().bookmark()).isEqualTo(Bookmarks.of("pub", 1));
            assertThat(got.get(199).header().bookmark()).isEqualTo(Bookmarks.of("pub", 200));
        }
    }

    @Test
    void shouldAckPersistedWithCommandIdAndFlushAfterDurable() {
        start();
        try (RawConnection pub = connect("pub")) {
            String cid = pub.nextCommandId();
            pub.send(new Header().command(Command.PUBLISH).commandId(cid).topic("events").sequence(1)
                    .ackTypes(PROCESSED | PERSISTED), "{}");
            Header processed = pub.awaitFrame(f -> f.ackType() == AckType.PROCESSED);
            assertThat(processed.commandId()).isEqualTo(cid);
            Header persisted = pub.awaitFrame(f -> f.ackType() == AckType.PERSISTED);
            assertThat(persisted.commandId()).isEqualTo(cid);
            assertThat(persisted.sequence()).isEqualTo(1);
            publish(pub, "events", 2, "{}");
            publish(pub, "plain", 3, "{}"); // not logged: acked in order after s=2
            String flush = pub.nextCommandId();
            pub.send(new Header().command(Command.FLUSH).commandId(flush).ackTypes(PERSISTED), (byte[]) null);
            List<Header> acks = new ArrayList<>();
            Header h;
            while ((h = pub.awaitFrame(f -> f.ackType() == AckType.PERSISTED)) != null) {
                acks.add(h);
                if (flush.equals(h.commandId())) {
                    break;
                }
            }
            assertThat(acks).last().extracting(Header::status).isEqualTo("success");
            assertThat(acks.subList(0, acks.size() - 1)).extracting(Header::sequence).isSorted().contains(3L);
        }
    }

    @Test
    void shouldDiscardDuplicatesAndReturnLastPersistedSequenceAtLogon() {
        start();
        try (RawConnection pub = connect("dedup"); RawConnection sub = connect("dedup-sub")) {
            subscribe(sub, "events", null, null, null);
            for (int i = 1; i <= 3; i++) {
                publish(pub, "events", i, "{\"n\":" + i + "}");
            }
            awaitPersisted(pub, 3);
            String cid = pub.nextCommandId();
            pub.send(new Header().command(Command.PUBLISH).commandId(cid).topic("events").sequence(2)
                    .ackTypes(PROCESSED | PERSISTED), "{\"n\":\"again\"}");
            Header processed = pub.awaitFrame(f -> f.ackType() == AckType.PROCESSED);
            assertThat(processed.status()).isEqualTo("failure");
            assertThat(processed.reason()).isEqualTo(Reason.DUPLICATE);
            Header persisted = pub.awaitFrame(f -> f.ackType() == AckType.PERSISTED);
            assertThat(persisted.reason()).isEqualTo(Reason.DUPLICATE);
            assertThat(persisted.sequence()).isEqualTo(2);
            publish(pub, "events", 4, "{\"n\":4}");
            awaitPersisted(pub, 4);
            assertThat(sub.awaitDeliveries(4)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
        }
        restart();
        try (RawConnection pub = new RawConnection(broker.port())) {
            Header logon = pub.logon("dedup");
            assertThat(logon.sequence()).isEqualTo(4);
            publish(pub, "events", 4, "{}");
            assertThat(awaitPersisted(pub, 4).get(0).reason()).isEqualTo(Reason.DUPLICATE);
        }
    }

    @Test
    void shouldNeverConflateAFailureAway() {
        start();
        try (RawConnection pub = connect("order")) {
            publish(pub, "events", 1, "{}");
            publish(pub, "events", 2, "{}");
            publish(pub, "events", 2, "{}"); // duplicate: fails, in order, after s=2 is durable
            publish(pub, "events", 3, "{}");
            publish(pub, "events", 4, "{}");
            List<Header> acks = awaitPersisted(pub, 4);
            int failed = -1;
            for (int i = 0; i < acks.size(); i++) {
                if ("failure".equals(acks.get(i).status())) {
                    assertThat(failed).as("one failure in " + acks).isEqualTo(-1);
                    failed = i;
                }
            }
            assertThat(failed).as("failure in " + acks).isGreaterThan(0);
            assertThat(acks.get(failed).reason()).isEqualTo(Reason.DUPLICATE);
            assertThat(acks.get(failed).sequence()).isEqualTo(2);
            assertThat(acks.get(failed - 1).sequence()).as("success before the failure").isEqualTo(2);
            assertThat(acks.subList(failed + 1, acks.size())).extracting(Header::sequence)
                    .allSatisfy(seq -> assertThat(seq).isGreaterThan(2L));
        }
    }

    @Test
    void shouldNotDeliverTwiceWhatASowAndSubscribeSnapshotHolds() {
        start();
        int total = 500;
        try (RawConnection pub = connect("pub"); RawConnection sub = connect("sub")) {
            for (int i = 1; i <= total; i++) {
                publish(pub, "orders", i, "{\"id\":" + i + "}");
            }
            // Some of these are still waiting for their fsync when the query runs.
            String cid = sub.nextCommandId();
            sub.send(new Header().command(Command.SOW_AND_SUBSCRIBE).commandId(cid).topic("orders")
                    .batchSize(100), (byte[]) null);
            List<String> seen = new ArrayList<>(SowTest.readQuery(sub).data());
            publish(pub, "orders", total + 1, "{\"id\":\"end\"}");
            while (!seen.contains("{\"id\":\"end\"}")) {
                List<String> live = sub.awaitDeliveries(1);
                assertThat(live).as("delivery after " + seen.size()).hasSize(1);
                seen.addAll(live);
            }
            assertThat(seen).doesNotHaveDuplicates().hasSize(total + 1);
        }
    }

    @Test
    void shouldSendTheOofOfALoggedDeleteAfterThePublishItDeletes() {
        start();
        try (RawConnection pub = connect("pub"); RawConnection sub = connect("sub")) {
            String sid = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(sid).topic("orders").options("oof")
                    .ackTypes(PROCESSED), (byte[]) null);
            sub.awaitAck(sid);
            publish(pub, "orders", 1, "{\"id\":7}");
            String del = pub.nextCommandId();
            pub.send(new Header().command(Command.SOW_DELETE).commandId(del).topic("orders").filter("/id = 7")
                    .ackTypes(PERSISTED), (byte[]) null);
            assertThat(pub.awaitAck(del).status()).isEqualTo("success");
            Header first = sub.awaitFrame(h -> h.command() == Command.PUBLISH || h.command() == Command.OOF);
            Header second = sub.awaitFrame(h -> h.command() == Command.PUBLISH || h.command() == Command.OOF);
            assertThat(first.command()).isEqualTo(Command.PUBLISH);
            assertThat(second.command()).isEqualTo(Command.OOF);
            assertThat(second.reason()).isEqualTo("deleted");
        }
    }

    @Test
    void shouldRebuildSowFromLogAtRestart() {
        start();
        try (RawConnection pub = connect("sow-pub")) {
            publish(pub, "orders", 1, "{\"id\":1,\"qty\":10}");
            publish(pub, "orders", 2, "{\"id\":2,\"qty\":20}");
            pub.send(new Header().command(Command.DELTA_PUBLISH).topic("orders").sequence(3).ackTypes(PERSISTED),
                    "{\"id\":1,\"qty\":11}");
            String del = pub.nextCommandId();
            pub.send(new Header().command(Command.SOW_DELETE).commandId(del).topic("orders").filter("/id = 2")
                    .ackTypes(PERSISTED), (byte[]) null);
            awaitPersisted(pub, 3);
            assertThat(pub.awaitAck(del).status()).isEqualTo("success");
        }
        restart();
        try (RawConnection c = connect("reader")) {
            String cid = c.nextCommandId();
            c.send(new Header().command(Command.SOW).commandId(cid).topic("orders").ackTypes(PROCESSED), (byte[]) null);
            assertThat(SowTest.readQuery(c).data()).containsExactly("{\"id\":1,\"qty\":11}");
        }
    }

    @Test
    void shouldReplayFromEpochThenGoLiveAndResumeAfterBookmark() {
        start();
        try (RawConnection pub = connect("pub")) {
            for (int i = 1; i <= 5; i++) {
                publish(pub, "ticks.a", 2 * i - 1, "{\"n\":" + i + "}");
                publish(pub, "ticks.b", 2 * i, "{\"n\":" + (100 + i) + "}");
            }
            awaitPersisted(pub, 10);
            try (RawConnection sub = connect("sub")) {
                assertThat(subscribe(sub, "ticks.a", Bookmarks.EPOCH, null, null).status()).isEqualTo("success");
                List<Delivery> replayed = readReplay(sub);
                assertThat(data(replayed)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}",
                        "{\"n\":5}");
                publish(pub, "ticks.a", 11, "{\"n\":6}");
                assertThat(sub.awaitDeliveries(1)).containsExactly("{\"n\":6}");

                String third = replayed.get(2).header().bookmark();
                // Log order after the third ticks.a message (log sequence 5), both topics, filtered.
                subscribe(sub, "ticks\\..*", third, "/n > 3", "replace");
                assertThat(data(readReplay(sub))).containsExactly("{\"n\":103}", "{\"n\":4}", "{\"n\":104}",
                        "{\"n\":5}", "{\"n\":105}", "{\"n\":6}");
            }
        }
    }

    @Test
    void shouldResolveNowTimestampsListsAndMissingBookmarks() {
        start();
        try (RawConnection pub = connect("pub"); RawConnection sub = connect("sub")) {
            for (int i = 1; i <= 3; i++) {
                publish(pub, "events", i, "{\"n\":" + i + "}");
            }
            awaitPersisted(pub, 3);
            subscribe(sub, "events", Bookmarks.NOW, null, "replace");
            assertThat(readReplay(sub)).isEmpty();
            subscribe(sub, "events", "20000101T000000Z", null, "replace");
            assertThat(readReplay(sub)).hasSize(3);
            subscribe(sub, "events", "29990101T000000", null, "replace");
            assertThat(readReplay(sub)).isEmpty();
            subscribe(sub, "events", Bookmarks.of("pub", 3) + "," + Bookmarks.of("pub", 1), null, "replace");
            assertThat(data(readReplay(sub))).containsExactly("{\"n\":2}", "{\"n\":3}");
            // A malformed bookmark is refused; the previous subscription stays.
            Header bad = subscribe(sub, "events", "garbage", null, "replace");
            assertThat(bad.reason()).startsWith(Reason.INVALID_BOOKMARK);
            String unknown = Bookmarks.of("pub", 999);
            assertThat(subscribe(sub, "events", unknown, null, "replace,bookmark_not_found=fail").reason())
                    .startsWith(Reason.INVALID_BOOKMARK);
            subscribe(sub, "events", unknown, null, "replace,bookmark_not_found=epoch");
            assertThat(readReplay(sub)).hasSize(3);
            subscribe(sub, "events", unknown, null, "replace");
            assertThat(readReplay(sub)).isEmpty();
            assertThat(subscribe(sub, "events", unknown, null, "replace,bookmark_not_found=maybe").reason())
                    .startsWith(Reason.INVALID_OPTIONS);
            assertThat(subscribe(sub, "not-logged", Bookmarks.EPOCH, null, null).reason())
                    .startsWith(Reason.INVALID_TOPIC);
        }
    }

    @Test
    void shouldSwitchFromReplayToLiveWithoutGapOrDuplicate() throws Exception {
        start();
        int total = 3000;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (RawConnection pub = connect("pub"); RawConnection sub = connect("sub")) {
            for (int i = 1; i <= 1000; i++) {
                publish(pub, "events", i, "{\"n\":" + i + "}");
            }
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 1001; i <= total; i++) {
                        publish(pub, "events", i, "{\"n\":" + i + "}");
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "test-publisher");
            publisher.start();
            subscribe(sub, "events", Bookmarks.EPOCH, null, null);
            List<Integer> seen = new ArrayList<>();
            while (seen.size() < total) {
                Frame f = sub.readFrame(Duration.ofSeconds(10));
                assertThat(f).as("delivery after " + seen.size()).isNotNull();
                if (f.header().command() == Command.PUBLISH) {
                    String s = new String(f.payloadBytes(), StandardCharsets.UTF_8);
                    seen.add(Integer.parseInt(s.substring(5, s.length() - 1)));
                }
                f.release();
            }
            publisher.join();
            assertThat(failure.get()).isNull();
            for (int i = 0; i < total; i++) {
                assertThat(seen.get(i)).as("delivery %d", i).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void shouldPaceReplayToTheSubscriberInsteadOfBufferingTheLog() {
        broker = Broker.start(config(dir).toBuilder().maxOutboundBytes(64 * 1024).build());
        // Few, big messages: the I/O thread decodes headers slowly under paranoid leak detection.
        int total = 2_000;
        String pad = "p".repeat(1500);
        try (RawConnection pub = connect("pub")) {
            for (int i = 1; i <= total; i++) {
                publish(pub, "events", i, "{\"n\":" + i + ",\"pad\":\"" + pad + "\"}");
            }
            awaitPersisted(pub, total);
        }
        // About 3 MB of log through a connection allowed 64 KiB of backlog: only pacing gets it there.
        try (RawConnection sub = connect("slow-sub")) {
            subscribe(sub, "events", Bookmarks.EPOCH, null, null);
            assertThat(readReplay(sub)).hasSize(total);
        }
    }

    @Test
    void shouldRefuseToStartOnCorruptionInTheMiddleNamingFileAndOffset() throws IOException {
        start();
        try (RawConnection pub = connect("pub")) {
            for (int i = 1; i <= 10; i++) {
                publish(pub, "events", i, "{\"n\":" + i + "}");
            }
            awaitPersisted(pub, 10);
        }
        broker.close();
        broker = null;
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("txlog"))) {
            segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
            f.seek(32 + 8 + 30); // inside the first record's body
            int b = f.read();
            f.seek(32 + 8 + 30);
            f.write(b ^ 0xff);
        }
        assertThatThrownBy(() -> Broker.start(config(dir)))
                .isInstanceOf(Broker.BrokerStartException.class)
                .hasMessageContaining(segment.getFileName().toString())
                .hasMessageContaining("offset");
    }
}
