package dev.farad.filter.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Per-thread state of one evaluation: the values collected for each path slot (as kinds and byte
 * ranges into the message, so nothing is decoded until the evaluator asks), the value registers of
 * the evaluator nodes, and the scanner. Reused for every message, so evaluation allocates nothing
 * once the arrays have grown to fit.
 *
 * <p>Not thread-safe; confined to one thread.
 */
final class EvalContext {

    /** At most this many values are kept per path; further elements of a huge array are ignored. */
    static final int MAX_VALUES_PER_PATH = 65_536;

    /**
     * How many values of each path live in the flat arrays, indexed {@code slot * INLINE + i}:
     * one load per access, where most paths have a single value. Further values of a path (its
     * elements of a long array) go to that path's overflow arrays.
     */
    private static final int INLINE = 4;
    private static final int INLINE_SHIFT = 2;
    private static final int INITIAL_OVERFLOW = 16;
    /** Overflow arrays larger than this are dropped after the message that needed them. */
    private static final int KEPT_VALUES = 1024;

    final Value[] registers;
    /** Scratch registers for conversions that happen after all operands have been evaluated. */
    final Value scratchA = new Value();
    final Value scratchB = new Value();

    /** The thread that created this context, the only one that may use it. */
    final Thread owner = Thread.currentThread();
    private final JsonScanner scanner = new JsonScanner(this);
    private final int[] counts;
    private final boolean[] nonScalar;
    private final byte[] kinds;
    private final int[] starts;
    private final int[] ends;
    private final byte[][] moreKinds;
    private final int[][] moreStarts;
    private final int[][] moreEnds;
    private boolean grown;

    EvalContext(int slots, int registerCount) {
        counts = new int[slots];
        nonScalar = new boolean[slots];
        kinds = new byte[slots << INLINE_SHIFT];
        starts = new int[slots << INLINE_SHIFT];
        ends = new int[slots << INLINE_SHIFT];
        moreKinds = new byte[slots][];
        moreStarts = new int[slots][];
        moreEnds = new int[slots][];
        registers = new Value[registerCount];
        for (int i = 0; i < registerCount; i++) {
            registers[i] = new Value();
        }
    }

    /**
     * Forgets the previous message and scans {@code json[off, off + len)}.
     *
     * @return false if the bytes are not one valid JSON object
     */
    boolean scan(byte[] json, int off, int len, PathNode root) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = 0;
            nonScalar[i] = false;
        }
        return scanner.scan(json, off, len, root);
    }

    /**
     * Drops the reference to the last message so that it can be collected, and gives back the
     * memory of value arrays that a huge array in that message made grow.
     */
    void release() {
        scanner.b = null;
        if (grown) {
            for (int slot = 0; slot < moreKinds.length; slot++) {
                if (moreKinds[slot] != null && moreKinds[slot].length > KEPT_VALUES) {
                    moreKinds[slot] = null;
                    moreStarts[slot] = null;
                    moreEnds[slot] = null;
                }
            }
            grown = false;
        }
    }

    void add(int slot, byte kind, int start, int end) {
        int n = counts[slot];
        if (n < INLINE) {
            int k = (slot << INLINE_SHIFT) + n;
            kinds[k] = kind;
            starts[k] = start;
            ends[k] = end;
            counts[slot] = n + 1;
        } else {
            addMore(slot, n, kind, start, end);
        }
    }

    private void addMore(int slot, int n, byte kind, int start, int end) {
        if (n >= MAX_VALUES_PER_PATH) {
            return;
        }
        int m = n - INLINE;
        if (moreKinds[slot] == null) {
            moreKinds[slot] = new byte[INITIAL_OVERFLOW];
            moreStarts[slot] = new int[INITIAL_OVERFLOW];
            moreEnds[slot] = new int[INITIAL_OVERFLOW];
        } else if (m == moreKinds[slot].length) {
            grown |= m * 2 > KEPT_VALUES;
            moreKinds[slot] = Arrays.copyOf(moreKinds[slot], m * 2);
            moreStarts[slot] = Arrays.copyOf(moreStarts[slot], m * 2);
            moreEnds[slot] = Arrays.copyOf(moreEnds[slot], m * 2);
        }
        moreKinds[slot][m] = kind;
        moreStarts[slot][m] = start;
        moreEnds[slot][m] = end;
        counts[slot] = n + 1;
    }

    /** Returns where the raw bytes of value {@code i} of {@code slot} start in the message. */
    int start(int slot, int i) {
        return i < INLINE ? starts[(slot << INLINE_SHIFT) + i] : moreStarts[slot][i - INLINE];
    }

    /** Returns where the raw bytes of value {@code i} of {@code slot} end in the message. */
    int end(int slot, int i) {
        return i < INLINE ? ends[(slot << INLINE_SHIFT) + i] : moreEnds[slot][i - INLINE];
    }

    /** The message of the current evaluation, which the scanner holds. */
    byte[] buf() {
        return scanner.b;
    }

    void markNonScalar(int slot) {
        nonScalar[slot] = true;
    }

    /** Returns how many scalar values the path of {@code slot} has in the current message. */
    int count(int slot) {
        return counts[slot];
    }

    /** Returns true if an object or array sits at the path of {@code slot}. */
    boolean isNonScalar(int slot) {
        return nonScalar[slot];
    }

    byte kind(int slot, int i) {
        return i < INLINE ? kinds[(slot << INLINE_SHIFT) + i] : moreKinds[slot][i - INLINE];
    }

    /** Returns the length in bytes of value {@code i} of {@code slot} (string contents without quotes). */
    int length(int slot, int i) {
        return end(slot, i) - start(slot, i);
    }

    /** Returns true if the raw bytes of value {@code i} of {@code slot} equal {@code b[from, from + len)}. */
    boolean bytesEqual(int slot, int i, byte[] b, int from, int len) {
        int start = start(slot, i);
        return Bytes.equal(buf(), start, end(slot, i) - start, b, from, len);
    }

    /** Returns {@link Bytes#head} of the raw bytes of value {@code i} of {@code slot}. */
    long head(int slot, int i) {
        int start = start(slot, i);
        return Bytes.head(buf(), start, end(slot, i) - start);
    }

    /** Returns the raw JSON text of value {@code i} of {@code slot} (string contents undecoded). */
    String rawText(int slot, int i) {
        int start = start(slot, i);
        return new String(buf(), start, end(slot, i) - start, StandardCharsets.UTF_8);
    }

    String decodedString(int slot, int i) {
        return JsonStrings.unescape(buf(), start(slot, i), end(slot, i));
    }

    /** What {@link #smallInteger} returns for a value that is not a short integer. */
    static final long NOT_SMALL = Long.MIN_VALUE;

    /**
     * Returns value {@code i} of {@code slot} if it is a number written as an integer of at most
     * 18 digits, which always fits an int64, else {@link #NOT_SMALL}.
     */
    long smallInteger(int slot, int i) {
        return kind(slot, i) == JsonScanner.NUMBER ? smallIntegerAt(start(slot, i), end(slot, i)) : NOT_SMALL;
    }

    private long smallIntegerAt(int start, int end) {
        byte[] buf = buf();
        boolean negative = buf[start] == '-';
        int p = negative ? start + 1 : start;
        if (end - p > 18) {
            return NOT_SMALL;
        }
        long v = 0;
        while (p < end) {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                return NOT_SMALL;
            }
            v = v * 10 + d;
            p++;
        }
        return negative ? -v : v;
    }

    /** Parses a number the scanner has validated: short integers inline, the rest by {@link Numbers}. */
    private Value loadNumber(int start, int end, Value out) {
        long v = smallIntegerAt(start, end);
        if (v != NOT_SMALL) {
            return out.setLong(v);
        }
        return Numbers.parse(buf(), start, end - start, out) ? out : out.setNull();
    }

    /** Loads value {@code i} of {@code slot} into {@code out} with the language's typing. */
    Value load(int slot, int i, Value out) {
        int start = start(slot, i);
        int end = end(slot, i);
        return switch (kind(slot, i)) {
            case JsonScanner.STRING -> out.setBytes(buf(), start, end - start);
            case JsonScanner.ESCAPED_STRING -> out.setString(JsonStrings.unescape(buf(), start, end));
            case JsonScanner.NUMBER -> loadNumber(start, end, out);
            case JsonScanner.TRUE -> out.setBool(true);
            case JsonScanner.FALSE -> out.setBool(false);
            default -> out.setNull();
        };
    }
}
