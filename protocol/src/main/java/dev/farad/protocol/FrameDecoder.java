package dev.farad.protocol;

import io.netty.buffer.ByteBuf;
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
 * close the channel. Payloads are retained slices of the cumulation buffer: no copy. A decoder made
 * with {@code copyPayloads} copies each payload into an array of its own instead, for a receiver
 * that copies anyway (the client): one copy, and no slice to recycle and release per frame.
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
    private boolean failed;

    public FrameDecoder() {
        this(DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_HEADER_BYTES);
    }

    public FrameDecoder(int maxFrameBytes, int maxHeaderBytes) {
        this(maxFrameBytes, maxHeaderBytes, false);
    }

    /** @param copyPayloads whether frames get their payload as a copied array rather than a slice */
    public FrameDecoder(int maxFrameBytes, int maxHeaderBytes, boolean copyPayloads) {
        if (maxFrameBytes < 2) {
            throw new IllegalArgumentException("maxFrameBytes must be >= 2 but was " + maxFrameBytes);
        }
        if (maxHeaderBytes < 2) {
            throw new IllegalArgumentException("maxHeaderBytes must be >= 2 but was " + maxHeaderBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
        this.maxHeaderBytes = maxHeaderBytes;
        this.copyPayloads = copyPayloads;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Frame f;
            while ((f = decodeOne(in, maxFrameBytes, maxHeaderBytes, copyPayloads)) != null) {
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
        return decodeOne(in, maxFrameBytes, maxHeaderBytes, false);
    }

    /** Like {@link #decodeOne(ByteBuf, int, int)}; with {@code copyPayload} the payload is a copied array. */
    public static Frame decodeOne(ByteBuf in, int maxFrameBytes, int maxHeaderBytes, boolean copyPayload) {
        if (in.readableBytes() < LENGTH_BYTES) {
            return null;
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
            return null;
        }
        int start = at + LENGTH_BYTES;
        int end = start + (int) length;
        Header header = new Header();
        int payloadStart = HeaderCodec.decode(in, start, end, maxHeaderBytes, header);
        Frame frame;
        if (copyPayload) {
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
