package dev.farad.filter.internal;

/** Byte-range helpers tuned for the short keys and values of filter evaluation. */
final class Bytes {

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
}
