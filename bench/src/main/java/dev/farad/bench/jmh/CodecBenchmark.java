package dev.farad.bench.jmh;

import dev.farad.bench.load.Payload;
import dev.farad.protocol.Command;
import dev.farad.protocol.Frame;
import dev.farad.protocol.FrameDecoder;
import dev.farad.protocol.Frames;
import dev.farad.protocol.Header;
import dev.farad.protocol.HeaderCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec: encoding a publish frame (header and 128-byte payload) into a reused buffer,
 * decoding a whole frame (what the broker's I/O thread does per inbound message), and parsing a
 * delivery header alone (what the client does per message).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CodecBenchmark {
    private Header publish;
    private byte[] payload;
    private ByteBuf out;
    private ByteBuf encodedPublish;
    private ByteBuf encodedDelivery;
    private int deliveryHeaderEnd;

    @Setup
    public void setUp() {
        payload = Payload.create(128, 7);
        publish = new Header().command(Command.PUBLISH).topic("orders.eu").commandId("42");
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        encodedPublish = PooledByteBufAllocator.DEFAULT.directBuffer(512);
        Frames.write(encodedPublish, publish, payload);
        encodedDelivery = PooledByteBufAllocator.DEFAULT.directBuffer(512);
        Frames.write(encodedDelivery, new Header().command(Command.PUBLISH).topic("orders.eu").subId("sub-1")
                .sowKey("k-123"), payload);
        Header probe = new Header();
        deliveryHeaderEnd = HeaderCodec.decode(encodedDelivery, 4, encodedDelivery.writerIndex(),
                FrameDecoder.DEFAULT_MAX_HEADER_BYTES, probe);
    }

    @TearDown
    public void tearDown() {
        out.release();
        encodedPublish.release();
        encodedDelivery.release();
    }

    /** One publish frame written into a reused buffer. */
    @Benchmark
    public int encodePublish() {
        out.clear();
        Frames.write(out, publish, payload);
        return out.writerIndex();
    }

    /** One whole frame decoded: header parsed, payload sliced (and released, as the engine does). */
    @Benchmark
    public Object decodeFrame() {
        encodedPublish.readerIndex(0);
        Frame f = FrameDecoder.decodeOne(encodedPublish, FrameDecoder.DEFAULT_MAX_FRAME_BYTES,
                FrameDecoder.DEFAULT_MAX_HEADER_BYTES);
        f.release();
        return f.header();
    }

    /** A delivery header ({@code c}, {@code t}, {@code sub_id}, {@code k}) parsed into a new Header. */
    @Benchmark
    public int parseHeader() {
        return HeaderCodec.decode(encodedDelivery, 4, encodedDelivery.writerIndex(),
                FrameDecoder.DEFAULT_MAX_HEADER_BYTES, new Header()) + deliveryHeaderEnd;
    }
}
