package dev.farad.filter.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed field path such as {@code /order/legs[0]/px}: object keys, each optionally followed by
 * one or more array indexes.
 *
 * <p>Immutable and thread-safe.
 */
final class PathSpec {

    /** One step of a path: an object key and the array indexes that follow it (often none). */
    record Segment(byte[] name, int[] indexes) {
    }

    private final List<Segment> segments;
    private final String text;

    PathSpec(List<Segment> segments, String text) {
        this.segments = List.copyOf(segments);
        this.text = text;
    }

    List<Segment> segments() {
        return segments;
    }

    /** Returns the canonical text of the path, for example {@code /a/b[0]}. */
    String text() {
        return text;
    }

    /**
     * Returns the text of a path: {@code /a/b[0]}, or {@code [/a b/c][0]} when a name has
     * characters that only the bracketed form allows (then only the last segment has indexes).
     */
    static String canonical(List<Segment> segments) {
        boolean bracketed = false;
        for (Segment s : segments) {
            for (char c : new String(s.name(), StandardCharsets.UTF_8).toCharArray()) {
                bracketed |= !Lexer.isNameChar(c);
            }
        }
        StringBuilder sb = new StringBuilder(bracketed ? "[" : "");
        for (int n = 0; n < segments.size(); n++) {
            Segment s = segments.get(n);
            sb.append('/').append(new String(s.name(), StandardCharsets.UTF_8));
            if (bracketed && n == segments.size() - 1) {
                sb.append(']');
            }
            for (int i : s.indexes()) {
                sb.append('[').append(i).append(']');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
