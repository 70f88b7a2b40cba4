package dev.farad.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark message: a JSON object padded to the requested size, with a fixed-width slot for
 * a {@code System.nanoTime()} stamp so that writing the stamp never changes the length:
 * {@code {"ts":"0000000000000000000","g":7,"pad":"xxxx..."}}. The stamp is written in place as 19
 * digits; {@link #stampOf} reads it back without parsing the rest. It is a JSON string, not a
 * number: a number with leading zeros is not JSON, and content filters skip what is not JSON.
 */
public final class Payload {
    /** Where the 19 stamp digits start. */
    static final int STAMP_AT = 7;
    static final int STAMP_DIGITS = 19;
    private static final String PREFIX = "{\"ts\":\"";

    private Payload() {}

    /**
     * A message of exactly {@code size} bytes (at least the minimum the fields need) with group
     * {@code g}, for filters such as {@code /g = 7}.
     */
    public static byte[] create(int size, int g) {
        StringBuilder sb = new StringBuilder(size);
        sb.append(PREFIX).append("0".repeat(STAMP_DIGITS)).append("\",\"g\":").append(g).append(",\"pad\":\"");
        int fill = size - sb.length() - 2;
        if (fill > 0) {
            sb.append("x".repeat(fill));
        }
        sb.append("\"}");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes a non-negative stamp into the slot. */
    public static void stamp(byte[] payload, long nanos) {
        long v = nanos;
        for (int i = STAMP_AT + STAMP_DIGITS - 1; i >= STAMP_AT; i--) {
            payload[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    /** Reads the stamp back; {@code -1} if the payload is not a benchmark message. */
    public static long stampOf(byte[] payload) {
        if (payload.length < STAMP_AT + STAMP_DIGITS || payload[1] != '"' || payload[2] != 't') {
            return -1;
        }
        long v = 0;
        for (int i = STAMP_AT; i < STAMP_AT + STAMP_DIGITS; i++) {
            v = v * 10 + (payload[i] - '0');
        }
        return v;
    }

    /**
     * A monotonic non-negative clock for stamps: {@code System.nanoTime()} shifted so that it
     * starts near zero in this JVM (nanoTime may be negative).
     */
    public static long now() {
        return System.nanoTime() - ORIGIN;
    }

    private static final long ORIGIN = System.nanoTime() - 1_000_000_000L;
}
