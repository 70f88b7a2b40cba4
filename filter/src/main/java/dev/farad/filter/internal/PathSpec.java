package dev.farad.filter.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A parsed field path such as {@code /order/legs[0]/px}: object keys, each optionally followed by
 * one or more array indexes.
 *
 * <p>Immutable and thread-safe.
 */
public final class PathSpec {

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
    public String text() {
        return text;
    }

    static String canonical(List<Segment> segments) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append('/').append(new String(s.name(), StandardCharsets.UTF_8));
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
