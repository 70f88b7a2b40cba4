package dev.farad.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the frame decoder and the header parser: whatever bytes arrive, decoding either
 * yields frames or throws a {@link ProtocolException}; nothing else escapes, nothing leaks, and
 * what decodes re-encodes to something that decodes to the same header.
 *
 * <p>In the normal build these run once over each committed input in {@code
 * src/test/resources/dev/farad/protocol/ProtocolFuzzTestInputs/<method>/}; with {@code
 * JAZZER_FUZZ=1} Jazzer mutates them (see {@code docs/SECURITY.md}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtocolFuzzTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final int MAX_HEADER = 4 * 1024;

    @FuzzTest(maxDuration = "30s")
    void frameDecoder(FuzzedDataProvider data) {
        int split = data.consumeInt(1, 64);
        byte[] bytes = data.consumeRemainingAsBytes();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_FRAME, MAX_HEADER));
        try {
            for (int at = 0; at < bytes.length; at += split) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(split, bytes.length - at)));
                Frame f;
                while ((f = ch.readInbound()) != null) {
                    assertThat(f.payload().readableBytes()).isLessThanOrEqualTo(MAX_FRAME);
                    reencode(f.header());
                    f.release();
                }
            }
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof ProtocolException)) {
                throw e;
            }
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void headerParser(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            Header h = new Header();
            int payloadAt = HeaderCodec.decode(buf, 0, bytes.length, MAX_HEADER, h);
            assertThat(payloadAt).isBetween(1, bytes.length);
            reencode(h);
        } catch (ProtocolException expected) {
            // a malformed or overlong header is refused with a reason; that is the contract
        } finally {
            buf.release();
        }
    }

    /** What the broker or client decoded, it must be able to write back and read again. */
    private static void reencode(Header h) {
        ByteBuf out = Unpooled.buffer();
        try {
            HeaderCodec.encode(h, out);
            Header again = new Header();
            HeaderCodec.decode(out, out.readerIndex(), out.writerIndex(), Integer.MAX_VALUE, again);
            assertThat(again.commandName()).isEqualTo(h.commandName());
            assertThat(again.topic()).isEqualTo(h.topic());
            assertThat(again.filter()).isEqualTo(h.filter());
            assertThat(again.commandId()).isEqualTo(h.commandId());
            assertThat(again.ackTypes()).isEqualTo(h.ackTypes());
            assertThat(again.sequence()).isEqualTo(h.sequence());
        } finally {
            out.release();
        }
    }
}
