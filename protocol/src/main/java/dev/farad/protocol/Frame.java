package dev.farad.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One decoded frame: its {@link Header} and its payload.
 *
 * <p>The payload is a reference-counted slice of the receive buffer: whoever holds the frame last
 * must {@link #release()} it. The header is plain Java and needs no release.
 *
 * <p>Not thread-safe; may be handed from one thread to another.
 */
public final class Frame {
    private final Header header;
    private final ByteBuf payload;

    public Frame(Header header, ByteBuf payload) {
        this.header = header;
        this.payload = payload;
    }

    public Header header() {
        return header;
    }

    /** The payload bytes (possibly empty); owned by this frame until {@link #release()}. */
    public ByteBuf payload() {
        return payload;
    }

    /** Copies the payload into a new array that the caller owns. */
    public byte[] payloadBytes() {
        byte[] b = new byte[payload.readableBytes()];
        payload.getBytes(payload.readerIndex(), b);
        return b;
    }

    /** Releases the payload. Safe to call once. */
    public void release() {
        ReferenceCounted p = payload;
        if (p.refCnt() > 0) {
            p.release();
        }
    }

    @Override
    public String toString() {
        return header + " + " + payload.readableBytes() + " payload bytes";
    }
}
