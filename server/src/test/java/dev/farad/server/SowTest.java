package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.protocol.AckType;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.Header;
import dev.farad.protocol.HeaderCodec;
import dev.farad.protocol.Reason;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SowTest {
    private static final int PROCESSED = AckType.PROCESSED.bit();
    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = Broker.start(TestConfigs.builder().port(0)
                .sowTopic(SowTopicConfig.keyed("orders", "/id"))
                .sowTopic(SowTopicConfig.keyed("basics", "/id"))
                .sowTopic(SowTopicConfig.keyed("positions\\..*", "/book", "/sym"))
                .sowTopic(new SowTopicConfig("quotes", List.of(), null))
                .sowTopic(new SowTopicConfig("ticks", List.of("/id"), Duration.ofMillis(300)))
                .sowTopic(SowTopicConfig.keyed("big", "/id"))
                .sowTopic(SowTopicConfig.keyed("oofs", "/id"))
                .sowTopic(SowTopicConfig.keyed("deletes", "/id"))
                .sowTopic(SowTopicConfig.keyed("expiring", "/id"))
                .sowTopic(SowTopicConfig.keyed("ordered", "/id"))
                .sowTopic(SowTopicConfig.keyed("replaced", "/id"))
                .sowTopic(SowTopicConfig.keyed("reexpiring", "/id"))
                .sowTopic(SowTopicConfig.keyed("modelled", "/id"))
                .sowTopic(SowTopicConfig.keyed("filtered", "/id"))
                .build());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** One query's result: records (key -> data) in order, plus what came around it. */
    record QueryResult(List<String> keys, List<String> data, List<Header> frames, int batches) {}

    private static RawConnection connect(String name) {
        RawConnection c = new RawConnection(broker.port());
        assertThat(c.logon(name).status()).isEqualTo("success");
        return c;
    }

    private static void publish(RawConnection c, String topic, String data) {
        c.send(new Header().command(Command.PUBLISH).topic(topic), data);
    }

    private static void sync(RawConnection c) {
        String cid = c.nextCommandId();
        c.send(new Header().command(Command.FLUSH).commandId(cid).ackTypes(PROCESSED), (byte[]) null);
        assertThat(c.awaitAck(cid)).isNotNull();
    }

    /** Reads frames until group_end, collecting records. */
    static QueryResult readQuery(RawConnection c) {
        List<String> keys = new ArrayList<>();
        List<String> data = new ArrayList<>();
        List<Header> frames = new ArrayList<>();
        int batches = 0;
        while (true) {
            Frame f = c.readFrame(Duration.ofSeconds(10));
            assertThat(f).as("frame before group_end").isNotNull();
            frames.add(f.header());
            if (f.header().command() == Command.SOW) {
                batches++;
                ByteBuf p = f.payload();
                while (p.isReadable()) {
                    Header rec = new Header();
                    int at = HeaderCodec.decode(p, p.readerIndex(), p.writerIndex(), 1 << 16, rec);
                    int len = (int) rec.messageLength();
                    keys.add(rec.sowKey());
                    data.add(p.toString(at, len, StandardCharsets.UTF_8));
                    p.readerIndex(at + len);
                }
            }
            f.release();
            if (f.header().command() == Command.GROUP_END) {
                return new QueryResult(keys, data, frames, batches);
            }
        }
    }

    /** Subscribes and waits until the broker accepted it, so every later publish reaches it. */
    private static void subscribe(RawConnection c, Header h) {
        String cid = c.nextCommandId();
        c.send(h.command(Command.SUBSCRIBE).commandId(cid).ackTypes(PROCESSED), (byte[]) null);
        assertThat(c.awaitAck(cid).status()).isEqualTo("success");
    }

    /** The key the broker gives a record with these key values: their UTF-8 joined by NUL, Base64url. */
    private static String sowKey(String... values) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String.join("\u0000", values).getBytes(StandardCharsets.UTF_8));
    }

    private static Header sowQuery(RawConnection c, Header h) {
        String cid = c.nextCommandId();
        c.send(h.command(Command.SOW).commandId(cid).ackTypes(PROCESSED | AckType.COMPLETED.bit()
                | AckType.STATS.bit()), (byte[]) null);
        return c.awaitAck(cid);
    }

    @Test
    void shouldReturnLatestRecordPerKeyWithKeysAndStats() {
        try (RawConnection c = connect("sow-basic")) {
            publish(c, "basics", "{\"id\":1,\"qty\":10}");
            publish(c, "basics", "{\"id\":2,\"qty\":20}");
            publish(c, "basics", "{\"id\":1,\"qty\":15}");
            sync(c);
            Header processed = sowQuery(c, new Header().topic("basics"));
            assertThat(processed.status()).isEqualTo("success");
            QueryResult r = readQuery(c);
            assertThat(r.data()).containsExactly("{\"id\":1,\"qty\":15}", "{\"id\":2,\"qty\":20}");
            assertThat(r.keys()).doesNotContainNull().doesNotHaveDuplicates();
            assertThat(r.frames().get(0).command()).isEqualTo(Command.GROUP_BEGIN);
            Header completed = c.awaitFrame(h -> h.ackType() == AckType.COMPLETED);
            assertThat(completed.status()).isEqualTo("success");
            Header stats = c.awaitFrame(h -> h.ackType() == AckType.STATS);
            assertThat(stats.recordsReturned()).isEqualTo(2);
        }
    }

    @Test
    void shouldFilterOrderAndLimit() {
        try (RawConnection c = connect("sow-order")) {
            for (int i = 0; i < 20; i++) {
                publish(c, "positions.eu", "{\"book\":\"b" + (i % 2) + "\",\"sym\":\"S" + i + "\",\"px\":" + i + "}");
            }
            sync(c);
            sowQuery(c, new Header().topic("positions.eu").filter("/book = 'b1'").orderBy("/px DESC").topN(3));
            QueryResult r = readQuery(c);
            assertThat(r.data()).containsExactly("{\"book\":\"b1\",\"sym\":\"S19\",\"px\":19}",
                    "{\"book\":\"b1\",\"sym\":\"S17\",\"px\":17}", "{\"book\":\"b1\",\"sym\":\"S15\",\"px\":15}");
        }
    }

    @Test
    void shouldSplitResultIntoBatches() {
        try (RawConnection c = connect("sow-batches")) {
            for (int i = 0; i < 25; i++) {
                publish(c, "positions.batch", "{\"book\":\"x\",\"sym\":\"S" + i + "\"}");
            }
            sync(c);
            sowQuery(c, new Header().topic("positions.batch").batchSize(10));
            QueryResult r = readQuery(c);
            assertThat(r.data()).hasSize(25);
            assertThat(r.batches()).isEqualTo(3);
        }
    }

    @Test
    void shouldQueryAcrossTopicsByRegex() {
        try (RawConnection c = connect("sow-regex")) {
            publish(c, "positions.us", "{\"book\":\"a\",\"sym\":\"X\"}");
            publish(c, "positions.jp", "{\"book\":\"a\",\"sym\":\"Y\"}");
            sync(c);
            sowQuery(c, new Header().topic("positions\\.(us|jp)"));
            assertThat(readQuery(c).data()).containsExactlyInAnyOrder("{\"book\":\"a\",\"sym\":\"X\"}",
                    "{\"book\":\"a\",\"sym\":\"Y\"}");
        }
    }

    @Test
    void shouldRejectQueriesOnTopicsWithoutSowAndBadOrderBy() {
        try (RawConnection c = connect("sow-errors")) {
            assertThat(sowQuery(c, new Header().topic("plain")).reason()).startsWith(Reason.INVALID_TOPIC);
            assertThat(sowQuery(c, new Header().topic("orders").orderBy("qty sideways")).reason())
                    .startsWith(Reason.INVALID_ORDER_BY);
            assertThat(sowQuery(c, new Header().topic("orders").filter("/qty >")).reason()).isEqualTo(Reason.BAD_FILTER
                    + ": at position 6: expected an operand (field path, literal, function call or '(') but found end"
                    + " of input");
        }
    }

    @Test
    void shouldRefusePublishWithoutKeyAndAcceptUserKeys() {
        try (RawConnection c = connect("sow-keys")) {
            String cid = c.nextCommandId();
            c.send(new Header().command(Command.PUBLISH).commandId(cid).topic("orders").ackTypes(PROCESSED), "{\"x\":1}");
            assertThat(c.awaitAck(cid).reason()).startsWith(Reason.BAD_SOW_KEY).contains("key path /id");
            String second = c.nextCommandId();
            c.send(new Header().command(Command.PUBLISH).commandId(second).topic("positions.keys").ackTypes(PROCESSED),
                    "{\"book\":\"a\",\"sym\":{\"nested\":1}}");
            assertThat(c.awaitAck(second).reason()).startsWith(Reason.BAD_SOW_KEY).contains("key path /sym");
            // The key of a two-path topic: both values' UTF-8, escapes decoded, joined by NUL, Base64url.
            publish(c, "positions.keys", "{\"book\":\"\\u00e9\\\"\",\"sym\":\"S\u00fc\"}");
            sync(c);
            sowQuery(c, new Header().topic("positions.keys"));
            assertThat(readQuery(c).keys()).containsExactly(sowKey("\u00e9\"", "S\u00fc"));
            c.send(new Header().command(Command.PUBLISH).topic("quotes").sowKey("EURUSD"), "1.10");
            c.send(new Header().command(Command.PUBLISH).topic("quotes").sowKey("EURUSD"), "1.11");
            c.send(new Header().command(Command.PUBLISH).topic("quotes").sowKey("USDJPY"), "150");
            sync(c);
            sowQuery(c, new Header().topic("quotes"));
            QueryResult r = readQuery(c);
            assertThat(r.keys()).containsExactly("EURUSD", "USDJPY");
            assertThat(r.data()).containsExactly("1.11", "150");
        }
    }

    @Test
    void shouldMergeDeltaPublishIntoRecord() {
        try (RawConnection c = connect("sow-delta"); RawConnection sub = connect("sow-delta-sub")) {
            publish(c, "orders", "{\"id\":77,\"status\":\"open\",\"qty\":5,\"px\":{\"bid\":1,\"ask\":2}}");
            sync(c);
            String sid = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(sid).topic("orders").filter("/id = 77")
                    .ackTypes(PROCESSED), (byte[]) null);
            sub.awaitAck(sid);
            c.send(new Header().command(Command.DELTA_PUBLISH).topic("orders"), "{\"id\":77,\"qty\":9,\"px\":{\"ask\":3}}");
            sync(c);
            String merged = "{\"id\":77,\"status\":\"open\",\"qty\":9,\"px\":{\"bid\":1,\"ask\":3}}";
            assertThat(sub.awaitDeliveries(1)).containsExactly(merged);
            sowQuery(c, new Header().topic("orders").filter("/id = 77"));
            assertThat(readQuery(c).data()).containsExactly(merged);
        }
    }

    @Test
    void shouldMakeQueryAndSubscriptionAtomicUnderConcurrentPublishes() throws Exception {
        try (RawConnection loader = connect("atomic-loader"); RawConnection sub = connect("atomic-sub");
                RawConnection pub = connect("atomic-pub")) {
            String pad = "x".repeat(150);
            for (int i = 0; i < 20_000; i++) {
                publish(loader, "big", "{\"id\":\"pre" + i + "\",\"pad\":\"" + pad + "\"}");
            }
            sync(loader);
            int concurrent = 5_000;
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < concurrent; i++) {
                    publish(pub, "big", "{\"id\":\"live" + i + "\"}");
                }
            });
            String cid = sub.nextCommandId();
            sub.send(new Header().command(Command.SOW_AND_SUBSCRIBE).commandId(cid).topic("big")
                    .ackTypes(PROCESSED).batchSize(100), (byte[]) null);
            publisher.start();
            Header ack = sub.awaitAck(cid);
            assertThat(ack.status()).isEqualTo("success");
            QueryResult r = readQuery(sub);
            publisher.join();
            sync(pub);
            Map<String, Integer> seen = new HashMap<>();
            for (String d : r.data()) {
                seen.merge(idOf(d), 1, Integer::sum);
            }
            int liveInResult = (int) seen.keySet().stream().filter(k -> k.startsWith("live")).count();
            List<String> live = sub.awaitDeliveries(concurrent - liveInResult);
            for (String d : live) {
                seen.merge(idOf(d), 1, Integer::sum);
            }
            assertThat(seen.values()).as("no message twice").allMatch(n -> n == 1);
            assertThat(seen).hasSize(20_000 + concurrent);
            assertThat(sub.read(Duration.ofMillis(200))).isNull();
        }
    }

    /** A broker with {@code maxOutboundBytes} of room and one SOW topic keyed by {@code /id}. */
    private static Broker smallBroker(String topic, long maxOutboundBytes) {
        return smallBroker(TestConfigs.builder(), topic, maxOutboundBytes);
    }

    private static Broker smallBroker(BrokerConfig.Builder config, String topic, long maxOutboundBytes) {
        return Broker.start(config.port(0).maxOutboundBytes(maxOutboundBytes)
                .sowTopic(SowTopicConfig.keyed(topic, "/id")).build());
    }

    private static RawConnection connect(Broker b, String name) {
        RawConnection c = new RawConnection(b.port());
        assertThat(c.logon(name).status()).isEqualTo("success");
        return c;
    }

    /** Publishes 520-byte records {@code from..to-1} with {@code "v":value}; 40,000 of them are a 20 MB result. */
    private static void publishRecords(RawConnection c, String topic, int from, int to, String value) {
        String pad = "x".repeat(480);
        for (int i = from; i < to; i++) {
            publish(c, topic, "{\"id\":" + i + ",\"v\":\"" + value + "\",\"pad\":\"" + pad + "\"}");
        }
        sync(c);
    }

    /** Sends sow_and_subscribe and waits for its ack, which comes with the query's snapshot. */
    private static void sowAndSubscribe(RawConnection c, String topic) {
        String cid = c.nextCommandId();
        c.send(new Header().command(Command.SOW_AND_SUBSCRIBE).commandId(cid).topic(topic).ackTypes(PROCESSED)
                .batchSize(100), (byte[]) null);
        assertThat(c.awaitAck(cid).status()).isEqualTo("success");
    }

    @Test
    void shouldKeepARunningQuerysRecordsWhenTheyAreUpdatedWhileItIsWritten() {
        // A 20 MB result against 2 MB of outbound room and a client that does not read: the query is
        // still being written when its last records take same-length updates, the kind the broker
        // may otherwise write into the stored record itself. What is queued (at most half the room
        // plus one chunk) and the updates' deliveries held until group_end stay under the 2 MB, so
        // the client is not cut off as slow.
        try (Broker small = smallBroker("snapshot", 2 << 20);
                RawConnection pub = connect(small, "snapshot-pub");
                RawConnection sub = connect(small, "snapshot-sub")) {
            int records = 40_000;
            int updated = 500;
            publishRecords(pub, "snapshot", 0, records, "old");
            sowAndSubscribe(sub, "snapshot");
            publishRecords(pub, "snapshot", records - updated, records, "new");

            QueryResult result = readQuery(sub);
            assertThat(result.data().size()).isEqualTo(records);
            assertThat(result.data().stream().filter(d -> !d.contains("\"v\":\"old\"")).count())
                    .as("records of the result that show an update made after the snapshot").isZero();
            List<String> live = sub.awaitDeliveries(updated);
            assertThat(live.size()).isEqualTo(updated);
            assertThat(live).allMatch(d -> d.contains("\"v\":\"new\""));
            sowQuery(pub, new Header().topic("snapshot").filter("/v = 'new'"));
            assertThat(readQuery(pub).data().size()).isEqualTo(updated);
        }
    }

    @Test
    void shouldCutAQueryingClientWhoseHeldTrafficPassesTheOutboundLimit() {
        // Deliveries for a connection wait in memory while its query is written. A reader that
        // stalls in a large query on a busy topic must not make that memory grow without bound.
        try (Broker small = smallBroker("held", 1 << 20);
                RawConnection pub = connect(small, "held-pub");
                RawConnection sub = connect(small, "held-sub")) {
            publishRecords(pub, "held", 0, 40_000, "old");
            sowAndSubscribe(sub, "held");
            publishRecords(pub, "held", 0, 3_000, "new"); // 1.5 MB of deliveries to hold

            assertThat(sub.awaitClosed(Duration.ofSeconds(10))).as("cut as a slow client").isTrue();
            sync(pub); // the broker carries on
        }
    }

    @Test
    void shouldRefuseAQueryThatCouldPassTheRowsItsConnectionsQueriesMayHold() {
        // A client that pipelines queries without reading makes the broker hold every snapshot.
        try (Broker small = smallBroker(TestConfigs.builder().maxQueryRowsPerConnection(50_000), "rows", 2 << 20);
                RawConnection pub = connect(small, "rows-pub");
                RawConnection sub = connect(small, "rows-sub")) {
            publishRecords(pub, "rows", 0, 40_000, "v");
            String first = sub.nextCommandId();
            sub.send(new Header().command(Command.SOW).commandId(first).topic("rows").batchSize(100), (byte[]) null);
            String second = sub.nextCommandId(); // could add 40,000 to the 40,000 the first holds
            sub.send(new Header().command(Command.SOW).commandId(second).topic("rows").ackTypes(PROCESSED),
                    (byte[]) null);
            String limited = sub.nextCommandId(); // at most 5,000: fits
            sub.send(new Header().command(Command.SOW).commandId(limited).topic("rows").topN(5_000)
                    .batchSize(100).ackTypes(PROCESSED), (byte[]) null);
            String subscribed = sub.nextCommandId();
            sub.send(new Header().command(Command.SOW_AND_SUBSCRIBE).commandId(subscribed).subId("s").topic("rows")
                    .ackTypes(PROCESSED), (byte[]) null);

            assertThat(readQuery(sub).data().size()).isEqualTo(40_000);
            assertThat(sub.awaitAck(second).reason()).isEqualTo(Reason.QUERY_LIMIT + ": running queries on this"
                    + " connection hold 40000 records and this one may add 40000; the maximum is 50000"
                    + " (maxQueryRowsPerConnection)");
            assertThat(readQuery(sub).data().size()).isEqualTo(5_000);
            // held behind the top_n query, which was running when it arrived
            assertThat(sub.awaitAck(subscribed).reason()).startsWith(Reason.QUERY_LIMIT);
            publishRecords(pub, "rows", 0, 1, "after");
            assertThat(sub.read(Duration.ofMillis(200))).as("the refused sow_and_subscribe did not subscribe").isNull();
            sowQuery(sub, new Header().topic("rows"));
            assertThat(readQuery(sub).data().size()).as("with nothing running, the same query is taken").isEqualTo(40_000);
        }
    }

    @Test
    void shouldAgreeWithAModelOverRandomUpdatesDeletesAndOverlappingQueries() {
        // Updates of the same and of other lengths, deletes and re-inserts, and queries that are
        // still being written (300 KB each, more than one chunk) while later updates from the same
        // connection arrive: each query must show the records as they were when it arrived. Half
        // way, an oof subscriber with a filter comes and goes, which switches how updates are stored.
        Random random = new Random(13);
        Map<Integer, String> model = new LinkedHashMap<>();
        List<List<String>> expected = new ArrayList<>();
        String pad = "p".repeat(3_000);
        try (RawConnection c = connect("model"); RawConnection watcher = connect("model-oof")) {
            for (int op = 0; op < 3_000; op++) {
                if (op == 1_000) {
                    subscribe(watcher, new Header().topic("modelled").subId("w").filter("/v LIKE '^a'").options("oof"));
                } else if (op == 2_000) {
                    String cid = watcher.nextCommandId();
                    watcher.send(new Header().command(Command.UNSUBSCRIBE).commandId(cid).subId("w")
                            .ackTypes(PROCESSED), (byte[]) null);
                    assertThat(watcher.awaitAck(cid).status()).isEqualTo("success");
                }
                int id = random.nextInt(100);
                int kind = random.nextInt(20);
                if (kind == 0) {
                    c.send(new Header().command(Command.SOW_DELETE).topic("modelled").filter("/id = " + id),
                            (byte[]) null);
                    model.remove(id);
                } else if (kind == 1 || op == 2_999) {
                    // Not waiting for the ack: awaiting it would skip the results of earlier queries.
                    c.send(new Header().command(Command.SOW).commandId(c.nextCommandId()).topic("modelled")
                            .batchSize(7), (byte[]) null);
                    expected.add(new ArrayList<>(model.values()));
                } else {
                    String value = "ab".repeat(random.nextInt(4)) + "z".repeat(random.nextInt(3));
                    String data = "{\"id\":" + id + ",\"v\":\"" + value + "\",\"pad\":\"" + pad + "\"}";
                    publish(c, "modelled", data);
                    model.put(id, data);
                }
            }
            for (int q = 0; q < expected.size(); q++) {
                List<String> got = readQuery(c).data();
                assertThat(got.size()).as("records of query %d", q).isEqualTo(expected.get(q).size());
                assertThat(got.equals(expected.get(q))).as("query %d shows the records as they were when it arrived", q)
                        .isTrue();
            }
        }
    }

    @Test
    void shouldFilterDeliveriesOfUpdatesTakenInPlace() {
        // No oof, so these updates are written into the stored record; the filter reads the
        // message from where the update put it.
        try (RawConnection c = connect("filtered-pub"); RawConnection sub = connect("filtered-sub")) {
            subscribe(sub, new Header().topic("filtered").filter("/qty > 10"));
            publish(c, "filtered", "{\"id\":1,\"qty\":50}");
            publish(c, "filtered", "{\"id\":1,\"qty\":5}");
            publish(c, "filtered", "{\"id\":1,\"qty\":500}");
            publish(c, "filtered", "{\"id\":2,\"qty\":7}");
            sync(c);
            assertThat(sub.awaitDeliveries(2)).containsExactly("{\"id\":1,\"qty\":50}", "{\"id\":1,\"qty\":500}");
            assertThat(sub.read(Duration.ofMillis(200))).isNull();
        }
    }

    @Test
    void shouldNotExpireARecordWhoseUpdateCarriedNoExpiration() {
        try (RawConnection c = connect("reexpiry"); RawConnection sub = connect("reexpiry-sub")) {
            subscribe(sub, new Header().topic("reexpiring").options("oof"));
            c.send(new Header().command(Command.PUBLISH).topic("reexpiring").expiration(1), "{\"id\":7}");
            publish(c, "reexpiring", "{\"id\":7}"); // same length: may be taken in place
            c.send(new Header().command(Command.PUBLISH).topic("reexpiring").expiration(1), "{\"id\":8}");

            // Expiries run in time order: by the time 8 expires, 7's first expiry has come and gone.
            Header expired = sub.awaitFrame(h -> h.command() == Command.OOF);
            assertThat(expired).as("oof within the bounded wait").isNotNull();
            assertThat(expired.sowKey()).isEqualTo(sowKey("8"));
            sowQuery(c, new Header().topic("reexpiring"));
            assertThat(readQuery(c).data()).containsExactly("{\"id\":7}");
        }
    }

    private static String idOf(String json) {
        int at = json.indexOf("\"id\":\"") + 6;
        return json.substring(at, json.indexOf('"', at));
    }

    @Test
    void shouldSendOutOfFocusOnNoLongerMatchingDeleteAndExpiry() {
        try (RawConnection c = connect("oof-pub"); RawConnection sub = connect("oof-sub")) {
            publish(c, "oofs", "{\"id\":1,\"status\":\"open\"}");
            publish(c, "oofs", "{\"id\":2,\"status\":\"open\"}");
            sync(c);
            String cid = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("oofs").filter("/status = 'open'")
                    .options("oof").ackTypes(PROCESSED), (byte[]) null);
            sub.awaitAck(cid);
            publish(c, "oofs", "{\"id\":1,\"status\":\"filled\"}");
            Header oof = sub.awaitFrame(h -> h.command() == Command.OOF);
            assertThat(oof.reason()).isEqualTo("match");
            String del = c.nextCommandId();
            c.send(new Header().command(Command.SOW_DELETE).commandId(del).topic("oofs").filter("/id = 2")
                    .ackTypes(PROCESSED | AckType.STATS.bit()), (byte[]) null);
            Header deleted = sub.awaitFrame(h -> h.command() == Command.OOF);
            assertThat(deleted.reason()).isEqualTo("deleted");
            assertThat(c.awaitFrame(h -> h.ackType() == AckType.STATS).recordsDeleted()).isEqualTo(1);
        }
    }

    @Test
    void shouldExpireRecordsAndTellOofSubscribers() {
        try (RawConnection c = connect("expiry"); RawConnection sub = connect("expiry-sub")) {
            String cid = sub.nextCommandId();
            sub.send(new Header().command(Command.SUBSCRIBE).commandId(cid).topic("ticks").options("oof")
                    .ackTypes(PROCESSED), (byte[]) null);
            sub.awaitAck(cid);
            publish(c, "ticks", "{\"id\":1}");
            c.send(new Header().command(Command.PUBLISH).topic("orders").expiration(1), "{\"id\":999}");
            Header expired = sub.awaitFrame(h -> h.command() == Command.OOF);
            assertThat(expired.reason()).isEqualTo("expired");
            sowQuery(c, new Header().topic("ticks"));
            assertThat(readQuery(c).data()).isEmpty();
        }
    }

    @Test
    void shouldDeleteByKeysAndByData() {
        try (RawConnection c = connect("deleter")) {
            for (int i = 0; i < 5; i++) {
                publish(c, "deletes", "{\"id\":" + i + "}");
            }
            sync(c);
            sowQuery(c, new Header().topic("deletes").filter("/id = 0"));
            String key0 = readQuery(c).keys().get(0);
            String cid = c.nextCommandId();
            c.send(new Header().command(Command.SOW_DELETE).commandId(cid).topic("deletes").sowKeys(key0)
                    .ackTypes(PROCESSED | AckType.STATS.bit()), (byte[]) null);
            assertThat(c.awaitFrame(h -> h.ackType() == AckType.STATS && cid.equals(h.commandId())).recordsDeleted())
                    .isEqualTo(1);
            String cid2 = c.nextCommandId();
            c.send(new Header().command(Command.SOW_DELETE).commandId(cid2).topic("deletes")
                    .ackTypes(PROCESSED | AckType.STATS.bit()), "{\"id\":3}");
            assertThat(c.awaitFrame(h -> h.ackType() == AckType.STATS && cid2.equals(h.commandId())).recordsDeleted())
                    .isEqualTo(1);
            sowQuery(c, new Header().topic("deletes"));
            assertThat(readQuery(c).data()).containsExactly("{\"id\":1}", "{\"id\":2}", "{\"id\":4}");
            String cid3 = c.nextCommandId();
            c.send(new Header().command(Command.SOW_DELETE).commandId(cid3).topic("deletes").ackTypes(PROCESSED),
                    (byte[]) null);
            assertThat(c.awaitAck(cid3).reason()).startsWith(Reason.NO_TOPIC_OR_FILTER);
        }
    }

    @Test
    void shouldGiveEmptyResultThenLiveForSowAndSubscribeOnPlainTopic() {
        try (RawConnection sub = connect("plain-sas"); RawConnection pub = connect("plain-sas-pub")) {
            String cid = sub.nextCommandId();
            sub.send(new Header().command(Command.SOW_AND_SUBSCRIBE).commandId(cid).topic("no-sow")
                    .ackTypes(PROCESSED), (byte[]) null);
            assertThat(sub.awaitAck(cid).status()).isEqualTo("success");
            assertThat(readQuery(sub).data()).isEmpty();
            publish(pub, "no-sow", "live");
            assertThat(sub.awaitDeliveries(1)).containsExactly("live");
        }
    }

    @Test
    void shouldExpireARecordByItsOwnExpirationAndKeepOneWithout() {
        try (RawConnection c = connect("own-expiry"); RawConnection sub = connect("own-expiry-sub")) {
            subscribe(sub, new Header().topic("expiring").options("oof"));
            // "expiring" has no default expiration, so only the publish's own e header can remove id 1.
            c.send(new Header().command(Command.PUBLISH).topic("expiring").expiration(1), "{\"id\":1}");
            publish(c, "expiring", "{\"id\":2}");
            Header expired = sub.awaitFrame(h -> h.command() == Command.OOF);
            assertThat(expired).as("oof within the bounded wait").isNotNull();
            assertThat(expired.reason()).isEqualTo("expired");
            assertThat(expired.sowKey()).isEqualTo(sowKey("1"));
            sowQuery(c, new Header().topic("expiring"));
            assertThat(readQuery(c).data()).containsExactly("{\"id\":2}");
        }
    }

    @Test
    void shouldOrderByTwoKeysWithNumbersBeforeTextAndMissingValuesLast() {
        try (RawConnection c = connect("sow-orderby")) {
            publish(c, "ordered", "{\"id\":1,\"book\":\"a\",\"px\":5}");
            publish(c, "ordered", "{\"id\":2,\"book\":\"a\",\"px\":10}");
            publish(c, "ordered", "{\"id\":3,\"book\":\"a\"}");
            publish(c, "ordered", "{\"id\":4,\"book\":\"a\",\"px\":\"n/a\"}");
            publish(c, "ordered", "{\"id\":5,\"book\":\"b\",\"px\":1}");
            publish(c, "ordered", "{\"id\":6,\"book\":7,\"px\":1}");
            publish(c, "ordered", "{\"id\":7,\"px\":100}");
            sync(c);
            sowQuery(c, new Header().topic("ordered").orderBy("/book ASC, /px DESC"));
            // Book 7 is a number, so it precedes the text books. Within book a, px DESC puts text
            // first (numbers sort before text, reversed), 10 before 5 (numeric, not "10" < "5"), and
            // the missing px last; a missing book is last even though its px would lead.
            assertThat(readQuery(c).data()).extracting(SowTest::numericIdOf).containsExactly(6, 4, 2, 1, 3, 5, 7);
        }
    }

    private static int numericIdOf(String json) {
        int at = json.indexOf("\"id\":") + 5;
        int end = at;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Integer.parseInt(json.substring(at, end));
    }

    @Test
    void shouldKeepTheSubscriptionWhenAReplacingSowAndSubscribeHasABadOrderBy() {
        try (RawConnection sub = connect("replace-sub"); RawConnection pub = connect("replace-pub")) {
            subscribe(sub, new Header().subId("kept").topic("replaced"));
            String again = sub.nextCommandId();
            sub.send(new Header().command(Command.SOW_AND_SUBSCRIBE).commandId(again).subId("kept").topic("replaced")
                    .options("replace").orderBy("/px sideways").ackTypes(PROCESSED), (byte[]) null);
            Header refused = sub.awaitAck(again);
            assertThat(refused.status()).isEqualTo("failure");
            assertThat(refused.reason())
                    .isEqualTo(Reason.INVALID_ORDER_BY + ": expected ASC or DESC but found 'sideways'");
            publish(pub, "replaced", "{\"id\":1}");
            assertThat(sub.awaitDeliveries(1)).containsExactly("{\"id\":1}");
        }
    }

    @Test
    void shouldAcceptEveryRegexQueryOnceASowIsDeclaredByRegex() {
        try (RawConnection c = connect("regex-declared")) {
            // positions\..* is declared by regex, and whether two regexes can name a common topic is
            // not checked, so a query regex that names no SOW topic gets an empty result.
            Header processed = sowQuery(c, new Header().topic("nowhere\\..*"));
            assertThat(processed.status()).isEqualTo("success");
            assertThat(readQuery(c).data()).isEmpty();
        }
        try (Broker literalOnly = Broker.start(TestConfigs.builder().port(0)
                .sowTopic(SowTopicConfig.keyed("orders", "/id")).build());
                RawConnection c = new RawConnection(literalOnly.port())) {
            assertThat(c.logon("literal-only").status()).isEqualTo("success");
            assertThat(sowQuery(c, new Header().topic("nowhere\\..*")).reason())
                    .isEqualTo(Reason.INVALID_TOPIC + ": 'nowhere\\..*' has no State of the World");
            assertThat(sowQuery(c, new Header().topic("ord.*")).status()).isEqualTo("success");
        }
    }
}
