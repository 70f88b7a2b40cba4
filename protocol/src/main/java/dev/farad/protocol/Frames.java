package dev.farad.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes frames: length prefix, header, payload.
 *
 * <p>Stateless; thread-safe.
 */
public final class Frames {
    private Frames() {}

    /**
     * Appends one whole frame to {@code out}.
     *
     * @param payload payload bytes, or {@code null} for none; not modified, not released
     */
    public static void write(ByteBuf out, Header header, ByteBuf payload) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        HeaderCodec.encode(header, out);
        if (payload != null) {
            out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        }
        out.setInt(lengthAt, out.writerIndex() - lengthAt - FrameDecoder.LENGTH_BYTES);
    }

    /** Appends one whole frame to {@code out}; {@code payload} may be {@code null}. */
    public static void write(ByteBuf out, Header header, byte[] payload) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        HeaderCodec.encode(header, out);
        if (payload != null) {
            out.writeBytes(payload);
        }
        out.setInt(lengthAt, out.writerIndex() - lengthAt - FrameDecoder.LENGTH_BYTES);
    }

    /**
     * Appends one whole frame whose header is already encoded ({@link #encodeHeader}); {@code
     * payload} may be {@code null}.
     */
    public static void write(ByteBuf out, byte[] headerJson, byte[] payload) {
        out.writeInt(headerJson.length + (payload == null ? 0 : payload.length));
        out.writeBytes(headerJson);
        if (payload != null) {
            out.writeBytes(payload);
        }
    }

    /** The header alone as JSON bytes, for a sender that reuses it for many frames. */
    public static byte[] encodeHeader(Header header) {
        ByteBuf out = io.netty.buffer.Unpooled.buffer(64);
        try {
            HeaderCodec.encode(header, out);
            byte[] json = new byte[out.readableBytes()];
            out.readBytes(json);
            return json;
        } finally {
            out.release();
        }
    }

    /** Allocates a buffer holding one frame; the caller owns it. */
    public static ByteBuf encode(ByteBufAllocator alloc, Header header, byte[] payload) {
        ByteBuf out = alloc.buffer(96 + (payload == null ? 0 : payload.length));
        write(out, header, payload);
        return out;
    }
}
