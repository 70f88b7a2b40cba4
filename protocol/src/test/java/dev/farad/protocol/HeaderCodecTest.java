package dev.farad.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HeaderCodecTest {

    private static Header decode(String json) {
        ByteBuf buf = Unpooled.copiedBuffer(json, StandardCharsets.UTF_8);
        try {
            Header h = new Header();
            int end = HeaderCodec.decode(buf, 0, buf.writerIndex(), 1 << 16, h);
            assertThat(end).isLessThanOrEqualTo(buf.writerIndex());
            return h;
        } finally {
            buf.release();
        }
    }

    @Test
    void shouldReuseTheLastStringOfARepeatingFieldOnlyWhenTheBytesAreTheSame() {
        Header first = decode("{\"c\":\"p\",\"t\":\"orders\",\"sub_id\":\"s1\"}");
        Header again = decode("{\"c\":\"p\",\"t\":\"orders\",\"sub_id\":\"s1\"}");
        assertThat(again.topic()).isSameAs(first.topic());
        assertThat(again.subId()).isSameAs(first.subId());
        // Prefixes, extensions, other values of the same length, escapes and non-ASCII text are decoded afresh.
        assertThat(decode("{\"t\":\"order\"}").topic()).isEqualTo("order");
        assertThat(decode("{\"t\":\"orders2\"}").topic()).isEqualTo("orders2");
        assertThat(decode("{\"t\":\"orders2\"}").topic()).isEqualTo("orders2");
        assertThat(decode("{\"t\":\"ordert\"}").topic()).isEqualTo("ordert");
        assertThat(decode("{\"t\":\"a\\\"b\"}").topic()).isEqualTo("a\"b");
        assertThat(decode("{\"t\":\"a\\\"b\"}").topic()).isEqualTo("a\"b");
        assertThat(decode("{\"t\":\"a\\u0041\"}").topic()).isEqualTo("aA");
        assertThat(decode("{\"t\":\"aA\"}").topic()).isEqualTo("aA");
        assertThat(decode("{\"t\":\"caf\u00e9\"}").topic()).isEqualTo("caf\u00e9");
        assertThat(decode("{\"t\":\"caf\u00e9\"}").topic()).isEqualTo("caf\u00e9");
        assertThat(decode("{\"t\":\"\"}").topic()).isEmpty();
        assertThat(decode("{\"t\":\"\"}").topic()).isEmpty();
        assertThat(decode("{\"t\":\"x\"}").topic()).isEqualTo("x");
        assertThatThrownBy(() -> decode("{\"t\":\"x"))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void shouldAcceptShortKeys() {
        Header h = decode("{\"c\":\"p\",\"cid\":\"7\",\"t\":\"orders\",\"a\":\"processed,completed\",\"s\":42,"
                + "\"bm\":\"1|2|\",\"k\":\"key\",\"x\":\"corr\",\"o\":\"oof\",\"bs\":10}");
        assertThat(h.command()).isEqualTo(Command.PUBLISH);
        assertThat(h.commandId()).isEqualTo("7");
        assertThat(h.topic()).isEqualTo("orders");
        assertThat(h.ackTypes()).isEqualTo(AckType.PROCESSED.bit() | AckType.COMPLETED.bit());
        assertThat(h.sequence()).isEqualTo(42);
        assertThat(h.bookmark()).isEqualTo("1|2|");
        assertThat(h.sowKey()).isEqualTo("key");
        assertThat(h.correlationId()).isEqualTo("corr");
        assertThat(h.options()).isEqualTo("oof");
        assertThat(h.batchSize()).isEqualTo(10);
    }

    @Test
    void shouldAcceptLongKeys() {
        Header h = decode("{\"command\":\"subscribe\",\"command_id\":\"1\",\"topic\":\"a.*\",\"filter\":\"/x > 1\","
                + "\"ack_type\":\"processed\",\"sequence\":\"5\",\"bookmark\":\"0\",\"sow_key\":\"k\","
                + "\"correlation_id\":\"c\",\"options\":\"live\",\"sub_id\":\"s1\",\"client_name\":\"n\"}");
        assertThat(h.command()).isEqualTo(Command.SUBSCRIBE);
        assertThat(h.commandId()).isEqualTo("1");
        assertThat(h.topic()).isEqualTo("a.*");
        assertThat(h.filter()).isEqualTo("/x > 1");
        assertThat(h.sequence()).isEqualTo(5);
        assertThat(h.options()).isEqualTo("live");
        assertThat(h.subId()).isEqualTo("s1");
        assertThat(h.clientName()).isEqualTo("n");
    }

    @Test
    void shouldAcceptOptsAliasAndNumericCommandIds() {
        Header h = decode("{ \"c\" : \"heartbeat\" , \"opts\" : \"start,5\", \"cid\": 12 }");
        assertThat(h.command()).isEqualTo(Command.HEARTBEAT);
        assertThat(h.options()).isEqualTo("start,5");
        assertThat(h.commandId()).isEqualTo("12");
    }

    @Test
    void shouldKeepUnknownCommandNameAndSkipUnknownKeys() {
        Header h = decode("{\"c\":\"frobnicate\",\"future_key\":{\"not\":1}}".replace("{\"not\":1}", "\"v\""));
        assertThat(h.command()).isEqualTo(Command.UNKNOWN);
        assertThat(h.commandName()).isEqualTo("frobnicate");
    }

    @Test
    void shouldDecodeEscapesAndUtf8() {
        Header h = decode("{\"t\":\"caf\u00e9 \\\"q\\\" \\u0041\\n\"}");
        assertThat(h.topic()).isEqualTo("caf\u00e9 \"q\" A\n");
    }

    @Test
    void shouldRoundTripEveryField() {
        Header in = new Header().command(Command.ACK).commandId("c1").topic("t\"1").ackType(AckType.PERSISTED)
                .subId("s").subIds("s,t").queryId("q").sequence(9).bookmark("1|9|").sowKey("k").sowKeys("a,b")
                .correlationId("x").expiration(3).batchSize(4).topN(5).orderBy("/a DESC").messageLength(6)
                .timestamp("20260101T000000").status("failure").reason("bad filter").clientName("me")
                .userId("u").version("1.0").messageType("json").matches(1).topicMatches(2)
                .recordsReturned(3).recordsDeleted(4).recordsInserted(5).recordsUpdated(6).filter("/a=1")
                .options("oof");
        ByteBuf buf = Unpooled.buffer();
        HeaderCodec.encode(in, buf);
        Header out = new Header();
        HeaderCodec.decode(buf, 0, buf.writerIndex(), 1 << 16, out);
        buf.release();
        assertThat(out).usingRecursiveComparison().isEqualTo(in);
    }

    @Test
    void shouldWriteShortKeys() {
        ByteBuf buf = Unpooled.buffer();
        HeaderCodec.encode(new Header().command(Command.PUBLISH).topic("orders").sequence(3), buf);
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("{\"c\":\"p\",\"t\":\"orders\",\"s\":3}");
        buf.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "x", "{", "{\"c\"", "{\"c\":", "{\"c\":\"p\"", "{\"c\":\"p\",}", "{c:\"p\"}", "{\"c\":[1]}",
        "{\"c\":{\"a\":1}}", "{\"s\":1.5}", "{\"s\":\"abc\"}", "{\"t\":\"\\q\"}", "{\"t\":\"a\u0001\"}",
        "{\"s\":99999999999999999999}", "{\"t\":tru}", "[\"c\",\"p\"]", "{\"c\":\"p\" \"t\":\"x\"}",
        "{\"t\\u0041\":1}"
    })
    void shouldRejectMalformedHeaders(String json) {
        assertThatThrownBy(() -> decode(json)).isInstanceOf(MalformedFrameException.class)
                .hasMessageStartingWith("malformed header:");
    }

    @ParameterizedTest
    @CsvSource({"processed,4", "'received,processed',5", "'completed, stats',48", "bogus,0", "'',0"})
    void shouldParseAckTypeLists(String list, int mask) {
        assertThat(AckType.parseMask(list)).isEqualTo(mask);
    }
}
