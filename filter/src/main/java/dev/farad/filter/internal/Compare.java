package dev.farad.filter.internal;

import java.util.Arrays;

/**
 * Ordering of two values under the language's coercion rules.
 *
 * <ul>
 *   <li>NULL is not ordered against anything ({@link #NO_ORDER}).
 *   <li>Numbers compare numerically (exactly when both are int64).
 *   <li>A string compared with a number is converted to a number when it parses as one;
 *       otherwise the string is greater than any number.
 *   <li>Strings compare by their UTF-8 bytes, which is Unicode code point order.
 *   <li>A boolean compared with a number is 1 or 0; with a string, it is the text
 *       {@code true}/{@code false}.
 * </ul>
 */
final class Compare {

    /** The result when the values have no order: one is NULL (or NaN). */
    static final int NO_ORDER = Integer.MIN_VALUE;

    private Compare() {
    }

    static int compare(Value a, Value b, EvalContext c) {
        if (a.isNull() || b.isNull()) {
            return NO_ORDER;
        }
        if (a.type == Value.STRING) {
            return b.type == Value.STRING ? compareStrings(a, b) : stringVersus(a, b, c.scratchA);
        }
        if (b.type == Value.STRING) {
            int r = stringVersus(b, a, c.scratchA);
            return r == NO_ORDER ? NO_ORDER : -r;
        }
        if (a.type == Value.BOOL && b.type == Value.BOOL) {
            return Boolean.compare(a.bool, b.bool);
        }
        return compareNumbers(a, b);
    }

    /** Returns true if both values are non-NULL and equal; a fast path for {@code =} and IN. */
    static boolean equal(Value a, Value b, EvalContext c) {
        if (a.type == Value.STRING && b.type == Value.STRING) {
            byte[] x = a.utf8();
            byte[] y = b.utf8();
            return Bytes.equal(x, a.offset, a.length, y, b.offset, b.length);
        }
        return compare(a, b, c) == 0;
    }

    static int compareStrings(Value a, Value b) {
        byte[] x = a.utf8();
        byte[] y = b.utf8();
        return Integer.signum(Arrays.compareUnsigned(x, a.offset, a.offset + a.length, y, b.offset, b.offset + b.length));
    }

    private static int stringVersus(Value s, Value other, Value scratch) {
        if (other.type == Value.BOOL) {
            return Integer.signum(s.text().compareTo(other.text()));
        }
        if (Numbers.parse(s, scratch)) {
            return compareNumbers(scratch, other);
        }
        return 1;
    }

    private static int compareNumbers(Value a, Value b) {
        if (a.type == Value.LONG && b.type == Value.LONG) {
            return Long.compare(a.longValue, b.longValue);
        }
        double x = asDouble(a);
        double y = asDouble(b);
        return x < y ? -1 : x > y ? 1 : x == y ? 0 : NO_ORDER;
    }

    private static double asDouble(Value v) {
        return switch (v.type) {
            case Value.LONG -> v.longValue;
            case Value.BOOL -> v.bool ? 1 : 0;
            default -> v.doubleValue;
        };
    }
}
