package dev.farad.protocol;

/** A frame whose header is not a flat JSON object, or whose length cannot hold a header. */
public final class MalformedFrameException extends ProtocolException {
    private final int offset;

    public MalformedFrameException(String message, int offset) {
        super(message + (offset >= 0 ? " (at byte " + offset + " of the frame)" : ""));
        this.offset = offset;
    }

    /** Offset inside the frame (after the length prefix) where the problem was found, or -1. */
    public int offset() {
        return offset;
    }
}
