package dev.farad.filter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte-range helpers tuned for the short keys and values of filter evaluation. */
final class Bytes {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    /**
     * Returns true if {@code a[aFrom, aFrom + aLength)} equals {@code b[bFrom, bFrom + bLength)}.
     * A plain loop: for the few bytes of a key or a short value it beats the vectorized
     * {@code Arrays.equals}, whose set-up dominates at these sizes.
     */
    static boolean equal(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        if (aLength != bLength) {
            return false;
        }
        for (int i = 0; i < aLength; i++) {
            if (a[aFrom + i] != b[bFrom + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first eight bytes of {@code b[from, from + len)}, little-endian, zero past {@code len}:
     * two keys or values of at most eight bytes are equal when their lengths and heads are. One
     * read when eight bytes are left in the array, which is nearly always.
     */
    static long head(byte[] b, int from, int len) {
        if (b.length - from >= Long.BYTES) {
            long word = (long) LONGS.get(b, from);
            return len >= Long.BYTES ? word : word & ((1L << (len << 3)) - 1);
        }
        long word = 0;
        for (int i = Math.min(len, Long.BYTES) - 1; i >= 0; i--) {
            word = word << 8 | (b[from + i] & 0xFF);
        }
        return word;
    }
}
