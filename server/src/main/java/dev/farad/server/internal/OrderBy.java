package dev.farad.server.internal;

import dev.farad.filter.JsonPaths;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code orderby} spec, {@code /field [ASC|DESC], ...}, and the comparator it implies:
 * numbers compare as numbers, other values as strings, missing values last.
 */
final class OrderBy {
    private final List<String> paths;
    private final boolean[] descending;

    private OrderBy(List<String> paths, boolean[] descending) {
        this.paths = paths;
        this.descending = descending;
    }

    /**
     * Parses a spec.
     *
     * @throws IllegalArgumentException naming the bad term
     */
    static OrderBy parse(String spec) {
        List<String> paths = new ArrayList<>();
        List<Boolean> desc = new ArrayList<>();
        for (String term : spec.split(",", -1)) { // -1: a trailing comma is an empty term, refused
            String[] words = term.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty() || !words[0].startsWith("/") || words.length > 2) {
                throw new IllegalArgumentException("expected '/field [ASC|DESC]' but found '" + term.trim() + "'");
            }
            boolean d = false;
            if (words.length == 2) {
                String dir = words[1].toUpperCase(Locale.ROOT);
                if (!dir.equals("ASC") && !dir.equals("DESC")) {
                    throw new IllegalArgumentException("expected ASC or DESC but found '" + words[1] + "'");
                }
                d = dir.equals("DESC");
            }
            paths.add(words[0]);
            desc.add(d);
        }
        boolean[] descending = new boolean[desc.size()];
        for (int i = 0; i < descending.length; i++) {
            descending[i] = desc.get(i);
        }
        return new OrderBy(List.copyOf(paths), descending);
    }

    /** The sort keys of one record. */
    Object[] keysOf(byte[] data) {
        List<String> values = JsonPaths.extract(data, paths);
        Object[] keys = new Object[values.size()];
        for (int i = 0; i < keys.length; i++) {
            String v = values.get(i);
            keys[i] = v == null ? null : toComparable(v);
        }
        return keys;
    }

    private static Object toComparable(String v) {
        try {
            return new BigDecimal(v.trim());
        } catch (NumberFormatException e) {
            return v;
        }
    }

    /** Compares two records' sort keys. */
    Comparator<Object[]> comparator() {
        return (a, b) -> {
            for (int i = 0; i < descending.length; i++) {
                if (a[i] == null || b[i] == null) {
                    if (a[i] != b[i]) {
                        return a[i] == null ? 1 : -1;
                    }
                    continue;
                }
                int c = compare(a[i], b[i]);
                if (c != 0) {
                    return descending[i] ? -c : c;
                }
            }
            return 0;
        };
    }

    private static int compare(Object x, Object y) {
        if (x instanceof BigDecimal a && y instanceof BigDecimal b) {
            return a.compareTo(b);
        }
        if (x instanceof BigDecimal) {
            return -1; // numbers sort before text
        }
        if (y instanceof BigDecimal) {
            return 1;
        }
        return ((String) x).compareTo((String) y);
    }
}
