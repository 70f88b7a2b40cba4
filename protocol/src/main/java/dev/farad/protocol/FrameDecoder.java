package dev.farad.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a byte stream into {@link Frame}s: a 4-byte big-endian unsigned length {@code N}, then
 * {@code N} bytes holding a flat JSON header object and the payload.
 *
 * <p>Frames longer than {@code maxFrameBytes}, headers longer than {@code maxHeaderBytes} and
 * malformed headers raise a {@link ProtocolException} through the pipeline; the stream cannot be
 * trusted after that, so the decoder discards everything that follows and the owner is expected to
 * close the channel. Payloads are retained slices of the cumulation buffer: no copy.
 *
 * <p>{@link #forReceiver()} makes a decoder for a receiver that keeps every payload as an array and
 * only reads headers (the client): each payload is copied into an array of its own (one copy, and
 * no slice to recycle and release per frame), and a frame whose header bytes are the same as the
 * previous frame's shares that frame's {@link Header} instead of parsing it again (a stream of
 * deliveries to one subscription repeats one header). Such headers must not be modified.
 * {@link #sharingHeaders(int, int)} shares headers the same way but keeps payloads as slices (the
 * broker, which forwards payloads without copying them and never modifies a received header).
 *
 * <p>One instance per channel; called on the channel's event loop.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** Bytes of the length prefix. */
    public static final int LENGTH_BYTES = 4;
    /** Default maximum frame length (length prefix excluded): 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** Default maximum header length: 64 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

    private final int maxFrameBytes;
    private final int maxHeaderBytes;
    private final boolean copyPayloads;
    private final boolean shareHeaders;
    private boolean failed;
    /** Sharing modes: the last shared header's bytes and its parse. */
    private ByteBuf lastHeaderBytes;
    private Header lastHeader;
    /** Longer headers are parsed every time: comparing and keeping them would cost more than it saves. */
    private static final int MAX_SHARED_HEADER = 256;

    public FrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_HEADER_BYTES);
    }

    public FrameDecoder(int maxFrameBytes, int maxHeaderBytes) {
        this(maxFrameBytes, maxHeaderBytes, false, false);
    }

    /** A decoder for a receiver: payloads copied into arrays, identical headers shared (see above). */
    public static FrameDecoder forReceiver() {
        return new FrameDecoder(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_HEADER_BYTES, true, true);
    }

    /** Payloads as slices, identical headers shared (see above). */
    public static FrameDecoder sharingHeaders(int maxFrameBytes, int maxHeaderBytes) {
        return new FrameDecoder(maxFrameBytes, maxHeaderBytes, false, true);
    }

    private FrameDecoder(int maxFrameBytes, int maxHeaderBytes, boolean copyPayloads, boolean shareHeaders) {
        if (maxFrameBytes < 2) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 2 but was " + maxFrameBytes);
        }
        if (maxHeaderBytes < 2) {
            throw new IllegalArgumentException("maxHeaderBytes must be >= 2 but was " + maxHeaderBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.copyPayloads = copyPayloads;
        this.shareHeaders = shareHeaders;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Frame f;
            while ((f = shareHeaders ? decodeSharing(in) : decodeOne(in, maxFrameBytes, maxHeaderBytes)) != null) {
                out.add(f);
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /**
     * Decodes one frame from {@code in} if a whole one is there, advancing the reader index past
     * it; returns {@code null} and leaves {@code in} untouched otherwise. Usable without a
     * pipeline (tests, tools).
     *
     * @throws ProtocolException when the frame is too long or its header is malformed
     */
    public static Frame decodeOne(ByteBuf in, int maxFrameBytes, int maxHeaderBytes) {
        int end = frameEnd(in, maxFrameBytes);
        if (end < 0) {
            return null;
        }
        int start = in.readerIndex() + LENGTH_BYTES;
        Header header = new Header();
        int payloadStart = HeaderCodec.decode(in, start, end, maxHeaderBytes, header);
        ByteBuf payload = in.retainedSlice(payloadStart, end - payloadStart);
        in.readerIndex(end);
        return new Frame(header, payload);
    }

    /**
     * The index one past the frame that starts at {@code in}'s reader index, or -1 when the frame
     * is not all there yet.
     */
    private static int frameEnd(ByteBuf in, int maxFrameBytes) {
        if (in.readableBytes() < LENGTH_BYTES) {
            return -1;
        }
        int at = in.readerIndex();
        long length = in.getUnsignedInt(at);
        if (length > maxFrameBytes) {
            throw new FrameTooLongException("frame", length, maxFrameBytes);
        }
        if (length < 2) {
            throw new MalformedFrameException("frame of " + length + " bytes cannot hold a header", 0);
        }
        if (in.readableBytes() < LENGTH_BYTES + length) {
            return -1;
        }
        return at + LENGTH_BYTES + (int) length;
    }

    private Frame decodeSharing(ByteBuf in) {
        int end = frameEnd(in, maxFrameBytes);
        if (end < 0) {
            return null;
        }
        int start = in.readerIndex() + LENGTH_BYTES;
        Header header;
        int payloadStart;
        ByteBuf last = lastHeaderBytes;
        int lastLength = last == null ? -1 : last.readableBytes();
        // A flat JSON object is parsed left to right and ends at its closing brace, so bytes equal
        // to a whole earlier header up to that brace parse to the same header.
        if (lastLength > 0 && lastLength <= end - start && ByteBufUtil.equals(in, start, last, 0, lastLength)) {
            header = lastHeader;
            payloadStart = start + lastLength;
        } else {
            header = new Header();
            payloadStart = HeaderCodec.decode(in, start, end, maxHeaderBytes, header);
            if (payloadStart - start <= MAX_SHARED_HEADER) {
                byte[] bytes = new byte[payloadStart - start];
                in.getBytes(start, bytes);
                lastHeaderBytes = Unpooled.wrappedBuffer(bytes);
                lastHeader = header;
            }
        }
        Frame frame;
        if (copyPayloads) {
            byte[] payload = new byte[end - payloadStart];
            in.getBytes(payloadStart, payload);
            frame = new Frame(header, payload);
        } else {
            frame = new Frame(header, in.retainedSlice(payloadStart, end - payloadStart));
        }
        in.readerIndex(end);
        return frame;
    }
}
