package dev.farad.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Acknowledgement types. A command requests acknowledgements with a comma list in its {@code a}
 * header; the broker sends none that were not requested. On an {@code ack} message the {@code a}
 * header names the one type it is.
 *
 * <p>Sets of ack types travel inside Farad as an {@code int} bit mask ({@link #bit()}), so that the
 * hot path allocates nothing. Thread-safe (an enum).
 */
public enum AckType {
    RECEIVED("received"),
    PARSED("parsed"),
    PROCESSED("processed"),
    PERSISTED("persisted"),
    COMPLETED("completed"),
    STATS("stats");

    private static final AckType[] VALUES = values();
    private final String wireName;

    AckType(String wireName) {
        this.wireName = wireName;
    }

    /** The name this ack type has on the wire. */
    public String wireName() {
        return wireName;
    }

    /** This type's bit in an ack-type mask. */
    public int bit() {
        return 1 << ordinal();
    }

    /** Whether {@code mask} contains this type. */
    public boolean in(int mask) {
        return (mask & bit()) != 0;
    }

    /**
     * Parses a comma list such as {@code "processed,completed"} into a mask. Unknown names are
     * ignored (a newer client may ask for an ack this broker does not send).
     */
    public static int parseMask(String list) {
        if (list == null || list.isEmpty()) {
            return 0;
        }
        int mask = 0;
        int start = 0;
        int n = list.length();
        while (start <= n) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            AckType t = fromWire(list.substring(start, end).trim());
            if (t != null) {
                mask |= t.bit();
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return mask;
    }

    /** Formats a mask as the comma list the wire carries, or {@code null} for an empty mask. */
    public static String formatMask(int mask) {
        if (mask == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (AckType t : VALUES) {
            if (t.in(mask)) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(t.wireName);
            }
        }
        return sb.toString();
    }

    /** The types in {@code mask}, in protocol order. */
    public static List<AckType> list(int mask) {
        List<AckType> out = new ArrayList<>();
        for (AckType t : VALUES) {
            if (t.in(mask)) {
                out.add(t);
            }
        }
        return out;
    }

    /** Looks up one ack type by wire name (case-insensitive), or {@code null} if unknown. */
    public static AckType fromWire(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (AckType t : VALUES) {
            if (t.wireName.equals(lower)) {
                return t;
            }
        }
        return null;
    }
}
