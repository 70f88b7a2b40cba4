package dev.farad.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * One decoded frame: its {@link Header} and its payload.
 *
 * <p>The payload is a reference-counted slice of the receive buffer, or an array of the frame's own
 * (see {@link FrameDecoder}): whoever holds the frame last must {@link #release()} it. The header
 * is plain Java and needs no release.
 *
 * <p>Not thread-safe; may be handed from one thread to another.
 */
public final class Frame {
    private final Header header;
    /** The payload buffer; for an array frame made on first use (a receiver rarely asks for it). */
    private ByteBuf payload;
    /** The payload when the frame owns it as an array, else {@code null}. */
    private final byte[] array;

    public Frame(Header header, ByteBuf payload) {
        this.header = header;
        this.payload = payload;
        this.array = null;
    }

    /** A frame owning {@code payload}: {@link #payloadArray()} hands it out without a copy. */
    public Frame(Header header, byte[] payload) {
        this.header = header;
        this.array = payload;
    }

    public Header header() {
        return header;
    }

    /** The payload bytes (possibly empty); owned by this frame until {@link #release()}. */
    public ByteBuf payload() {
        if (payload == null) {
            payload = Unpooled.wrappedBuffer(array);
        }
        return payload;
    }

    /** Copies the payload into a new array that the caller owns. */
    public byte[] payloadBytes() {
        if (array != null) {
            return array.clone();
        }
        byte[] b = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), b);
        return b;
    }

    /**
     * The payload as an array for a receiver that keeps it: the frame's own array when it has one
     * (no copy; every call returns the same array), else a copy.
     */
    public byte[] payloadArray() {
        return array != null ? array : payloadBytes();
    }

    /** Releases the payload. Safe to call once. */
    public void release() {
        ReferenceCounted p = payload;
        if (p == null) {
            return; // an array frame whose buffer was never made holds nothing to release
        }
        if (p.refCnt() > 0) {
            p.release();
        }
    }

    @Override
    public String toString() {
        return header + " + " + (array != null ? array.length : payload.readableBytes()) + " payload bytes";
    }
}
