package dev.farad.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FrameDecoderTest {

    private static byte[] frames(int count) {
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            Frames.write(out, new Header().command(Command.PUBLISH).topic("t" + i).sequence(i),
                    ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        return bytes;
    }

    private static List<Frame> drain(EmbeddedChannel ch) {
        List<Frame> frames = new ArrayList<>();
        Frame f;
        while ((f = ch.readInbound()) != null) {
            frames.add(f);
        }
        return frames;
    }

    private static void assertFrames(List<Frame> frames, int count) {
        assertThat(frames).hasSize(count);
        for (int i = 0; i < count; i++) {
            Frame f = frames.get(i);
            assertThat(f.header().topic()).isEqualTo("t" + i);
            assertThat(f.header().sequence()).isEqualTo(i);
            assertThat(new String(f.payloadBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":" + i + "}");
            f.release();
        }
    }

    @Test
    void shouldGiveEachFrameItsOwnPayloadArrayWhenCopying() {
        byte[] bytes = frames(3);
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(FrameDecoder.forReceiver());
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            List<Frame> frames = drain(ch);
            for (int i = 0; i < frames.size(); i++) {
                byte[] payload = frames.get(i).payloadArray();
                assertThat(frames.get(i).payloadArray()).isSameAs(payload);
                assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("{\"n\":" + i + "}");
            }
            assertFrames(frames, 3);
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void shouldShareTheHeaderOfFramesWhoseHeaderBytesRepeatOnlyThen() {
        ByteBuf out = Unpooled.buffer();
        Header plain = new Header().command(Command.PUBLISH).topic("x").subId("s");
        Header keyed = new Header().command(Command.PUBLISH).topic("x").subId("s").sowKey("k1");
        Frames.write(out, plain, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Frames.write(out, plain, "}".getBytes(StandardCharsets.UTF_8));
        Frames.write(out, keyed, (byte[]) null);
        Frames.write(out, keyed, "{}".getBytes(StandardCharsets.UTF_8));
        Frames.write(out, plain, (byte[]) null);
        Frames.write(out, new Header().command(Command.PUBLISH).topic("x").subId("t"), (byte[]) null);
        EmbeddedChannel ch = new EmbeddedChannel(FrameDecoder.forReceiver());
        ch.writeInbound(out);
        List<Frame> f = drain(ch);
        assertThat(f).hasSize(6);
        assertThat(f.get(1).header()).isSameAs(f.get(0).header());
        assertThat(new String(f.get(1).payloadArray(), StandardCharsets.UTF_8)).isEqualTo("}");
        assertThat(f.get(2).header()).isNotSameAs(f.get(0).header());
        assertThat(f.get(2).header().sowKey()).isEqualTo("k1");
        assertThat(f.get(2).payloadArray()).isEmpty();
        assertThat(f.get(3).header()).isSameAs(f.get(2).header());
        assertThat(new String(f.get(3).payloadArray(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(f.get(4).header().sowKey()).isNull();
        assertThat(f.get(5).header().subId()).isEqualTo("t");
        f.forEach(Frame::release);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void shouldDecodeRandomStreamsLikeTheSlicingDecoderDoes() {
        Random random = new Random(42);
        Header[] headers = {
            new Header().command(Command.PUBLISH).topic("x").subId("s"),
            new Header().command(Command.PUBLISH).topic("x").subId("s2"),
            new Header().command(Command.PUBLISH).topic("x").subId("s").sowKey("k"),
            new Header().command(Command.PUBLISH).topic("xy").subId("s"),
            new Header().command(Command.ACK).commandId("7").status("success").ackTypes(AckType.PROCESSED.bit()),
            new Header().command(Command.OOF).topic("x").subId("s").reason("match"),
            new Header().command(Command.PUBLISH).topic("y".repeat(300)).subId("s"),
        };
        for (int round = 0; round < 200; round++) {
            ByteBuf out = Unpooled.buffer();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                byte[] payload = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(40)];
                random.nextBytes(payload);
                Frames.write(out, headers[random.nextInt(random.nextBoolean() ? 2 : headers.length)], payload);
            }
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            out.release();
            EmbeddedChannel slicing = new EmbeddedChannel(new FrameDecoder());
            EmbeddedChannel receiver = new EmbeddedChannel(round % 2 == 0 ? FrameDecoder.forReceiver()
                    : FrameDecoder.sharingHeaders(FrameDecoder.DEFAULT_MAX_FRAME_BYTES, FrameDecoder.DEFAULT_MAX_HEADER_BYTES));
            for (int at = 0; at < bytes.length; ) {
                int chunk = Math.min(bytes.length - at, 1 + random.nextInt(64));
                slicing.writeInbound(Unpooled.wrappedBuffer(bytes, at, chunk));
                receiver.writeInbound(Unpooled.wrappedBuffer(bytes, at, chunk));
                at += chunk;
            }
            List<Frame> expected = drain(slicing);
            List<Frame> actual = drain(receiver);
            assertThat(actual).hasSize(n).hasSameSizeAs(expected);
            for (int i = 0; i < n; i++) {
                assertThat(actual.get(i).header().toString()).isEqualTo(expected.get(i).header().toString());
                assertThat(actual.get(i).payloadBytes()).isEqualTo(expected.get(i).payloadBytes());
                expected.get(i).release();
                actual.get(i).release();
            }
            assertThat(slicing.finish()).isFalse();
            assertThat(receiver.finish()).isFalse();
        }
    }

    @Test
    void shouldDecodeHeadersLongerThanTheFirstCopiedWindow() {
        // The header scanner copies 512 bytes first and more when a header runs past them.
        for (int length : new int[] {500, 511, 512, 513, 1_000, 5_000, 40_000}) {
            String topic = "x".repeat(length);
            ByteBuf out = Unpooled.buffer();
            Frames.write(out, new Header().command(Command.PUBLISH).topic(topic).subIds("a,b"), new byte[] {'{', '}'});
            Frame f = FrameDecoder.decodeOne(out, FrameDecoder.DEFAULT_MAX_FRAME_BYTES,
                    FrameDecoder.DEFAULT_MAX_HEADER_BYTES);
            assertThat(f.header().topic()).isEqualTo(topic);
            assertThat(f.header().subIds()).isEqualTo("a,b");
            assertThat(f.payloadBytes()).containsExactly('{', '}');
            f.release();
            out.release();
        }
    }

    @Test
    void shouldDecodeFramesSplitAtEveryByteBoundary() {
        byte[] bytes = frames(3);
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            assertFrames(drain(ch), 3);
            assertThat(ch.finish()).isFalse();
        }
    }

    @Test
    void shouldDecodeFramesFedOneByteAtATime() {
        byte[] bytes = frames(5);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        for (byte b : bytes) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertFrames(drain(ch), 5);
        ch.finish();
    }

    @Test
    void shouldRejectFrameOverMaximumBeforeReadingIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024, 256));
        ByteBuf buf = Unpooled.buffer().writeInt(1025).writeBytes(new byte[10]);
        assertThatThrownBy(() -> ch.writeInbound(buf)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(FrameTooLongException.class)
                .hasMessageContaining("frame of 1025 bytes exceeds the maximum of 1024 bytes");
        // Anything after a framing error is discarded, never decoded as a frame.
        ch.writeInbound(Unpooled.wrappedBuffer(frames(1)));
        assertThat(drain(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void shouldRejectHeaderOverMaximum() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20, 32));
        ByteBuf buf = Unpooled.buffer();
        Frames.write(buf, new Header().command(Command.PUBLISH).topic("x".repeat(100)), (byte[]) null);
        assertThatThrownBy(() -> ch.writeInbound(buf)).hasCauseInstanceOf(FrameTooLongException.class)
                .hasMessageContaining("header of");
        ch.finishAndReleaseAll();
    }

    @Test
    void shouldRejectGarbageAndTinyFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(1).writeByte('{')))
                .hasCauseInstanceOf(MalformedFrameException.class);
        ch.finishAndReleaseAll();

        EmbeddedChannel ch2 = new EmbeddedChannel(new FrameDecoder());
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ch2.writeInbound(Unpooled.wrappedBuffer(garbage)))
                .hasCauseInstanceOf(ProtocolException.class);
        ch2.finishAndReleaseAll();
    }

    @Test
    void shouldNeverThrowAnythingButProtocolExceptionOnRandomInput() {
        Random random = new Random(7);
        byte[] valid = frames(4);
        for (int round = 0; round < 2000; round++) {
            byte[] input = valid.clone();
            int mutations = 1 + random.nextInt(6);
            for (int m = 0; m < mutations; m++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            ByteBuf buf = Unpooled.wrappedBuffer(input);
            try {
                Frame f;
                while ((f = FrameDecoder.decodeOne(buf, 1 << 16, 1 << 12)) != null) {
                    f.release();
                }
            } catch (ProtocolException expected) {
                // the only failure a decoder may report
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void shouldLeaveIncompleteFrameUntouched() {
        byte[] bytes = frames(1);
        ByteBuf buf = Unpooled.wrappedBuffer(bytes, 0, bytes.length - 1);
        assertThat(FrameDecoder.decodeOne(buf, 1 << 20, 1 << 10)).isNull();
        assertThat(buf.readerIndex()).isZero();
        buf.release();
    }
}
