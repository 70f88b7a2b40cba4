package dev.farad.protocol;

/** A frame, or a frame's header, longer than the configured maximum. */
public final class FrameTooLongException extends ProtocolException {
    private final long length;
    private final long maximum;

    public FrameTooLongException(String what, long length, long maximum) {
        super(what + " of " + length + " bytes exceeds the maximum of " + maximum + " bytes");
        this.length = length;
        this.maximum = maximum;
    }

    public long length() {
        return length;
    }

    public long maximum() {
        return maximum;
    }
}
