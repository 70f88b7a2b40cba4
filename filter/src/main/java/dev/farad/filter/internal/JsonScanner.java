package dev.farad.filter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One streaming pass over a JSON document that validates its syntax and hands the scalar values
 * at the wanted paths to an {@link EvalContext}, without building a tree and without creating
 * objects for the fields it skips.
 *
 * <p>Arrays are transparent: the elements of an array at {@code /a} (and of arrays nested in it)
 * are all values of {@code /a}, and objects inside them continue the path, so
 * {@code {"a":[{"b":1},{"b":2}]}} gives {@code /a/b} the values 1 and 2. An element is also a
 * value of {@code /a[i]} when that path is wanted. Nesting deeper than {@link #MAX_DEPTH} makes
 * the document invalid, which bounds the recursion.
 *
 * <p>Not thread-safe; each {@link EvalContext} owns one.
 */
final class JsonScanner {

    /** The deepest object/array nesting accepted. */
    static final int MAX_DEPTH = 512;

    static final byte STRING = 1;
    static final byte ESCAPED_STRING = 2;
    static final byte NUMBER = 3;
    static final byte TRUE = 4;
    static final byte FALSE = 5;
    static final byte NULL = 6;

    private static final byte[] TRUE_BYTES = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE_BYTES = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BYTES = "null".getBytes(StandardCharsets.US_ASCII);

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Bytes that may appear in a string as they are: all but quote, backslash and controls. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int i = 0x20; i < 256; i++) {
            PLAIN[i] = i != '"' && i != '\\';
        }
    }

    private byte[] b;
    private int end;
    private EvalContext sink;
    private boolean escaped;
    private boolean closed;

    /**
     * Scans {@code buf[off, off + len)}, which must hold exactly one JSON object, passing the
     * values at the paths of {@code root} to {@code sink}.
     *
     * @return false if the bytes are not one valid JSON object
     */
    boolean scan(byte[] buf, int off, int len, PathNode root, EvalContext sink) {
        this.b = buf;
        this.end = off + len;
        this.sink = sink;
        try {
            int p = skipSpace(off);
            if (p >= end || b[p] != '{') {
                return false;
            }
            p = value(p, root, 0);
            return p >= 0 && skipSpace(p) == end;
        } finally {
            this.b = null;
            this.sink = null;
        }
    }

    private int skipSpace(int p) {
        // Small enough to inline: compact JSON has no whitespace between tokens.
        return p < end && b[p] > ' ' ? p : skipSpaceLoop(p);
    }

    private int skipSpaceLoop(int p) {
        while (p < end) {
            byte c = b[p];
            // One comparison for the common case; multi-byte UTF-8 bytes are negative.
            if ((c > ' ' || c < 0) || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
                break;
            }
            p++;
        }
        return p;
    }

    /** Scans the value starting at {@code p}; returns the position after it, or -1 if invalid. */
    private int value(int p, PathNode node, int depth) {
        if (p >= end) {
            return -1;
        }
        byte c = b[p];
        if (c == '"') {
            int close = stringEnd(p + 1);
            if (close >= 0 && node != null && node.slot() >= 0) {
                sink.add(node.slot(), escaped ? ESCAPED_STRING : STRING, p + 1, close);
            }
            return close < 0 ? -1 : close + 1;
        }
        int after;
        byte kind;
        switch (c) {
            case '{':
                return object(p + 1, node, depth + 1);
            case '[':
                return array(p + 1, node, depth + 1);
            case 't':
                after = word(p, TRUE_BYTES);
                kind = TRUE;
                break;
            case 'f':
                after = word(p, FALSE_BYTES);
                kind = FALSE;
                break;
            case 'n':
                after = word(p, NULL_BYTES);
                kind = NULL;
                break;
            default:
                after = number(p);
                kind = NUMBER;
                break;
        }
        if (after >= 0 && node != null && node.slot() >= 0) {
            sink.add(node.slot(), kind, p, after);
        }
        return after;
    }

    private int object(int p, PathNode node, int depth) {
        if (!open(node, depth)) {
            return -1;
        }
        PathNode parent = node != null && node.hasChildren() ? node : null;
        p = skipSpace(p);
        if (p < end && b[p] == '}') {
            return p + 1;
        }
        while (true) {
            if (p >= end || b[p] != '"') {
                return -1;
            }
            int keyStart = p + 1;
            int keyEnd = stringEnd(keyStart);
            if (keyEnd < 0) {
                return -1;
            }
            PathNode child = null;
            if (parent != null) {
                if (escaped) {
                    byte[] key = JsonStrings.unescape(b, keyStart, keyEnd).getBytes(StandardCharsets.UTF_8);
                    child = parent.child(key, 0, key.length);
                } else {
                    child = parent.child(b, keyStart, keyEnd);
                }
            }
            p = skipSpace(keyEnd + 1);
            if (p >= end || b[p] != ':') {
                return -1;
            }
            p = separator(value(skipSpace(p + 1), child, depth), (byte) '}');
            if (p < 0 || closed) {
                return p;
            }
        }
    }

    private int array(int p, PathNode node, int depth) {
        if (!open(node, depth)) {
            return -1;
        }
        p = skipSpace(p);
        if (p < end && b[p] == ']') {
            return p + 1;
        }
        for (int i = 0; ; i++) {
            if (node != null && node.hasIndexes()) {
                PathNode element = node.index(i);
                if (element != null && value(p, element, depth) < 0) {
                    return -1;
                }
            }
            p = separator(value(p, node, depth), (byte) ']');
            if (p < 0 || closed) {
                return p;
            }
        }
    }

    /** Checks the nesting depth and notes a container that sits where a scalar path is wanted. */
    private boolean open(PathNode node, int depth) {
        if (node != null && node.slot() >= 0) {
            sink.markNonScalar(node.slot());
        }
        return depth <= MAX_DEPTH;
    }

    /**
     * After a member ending at {@code p} (or -1 if it was invalid), consumes the comma before the
     * next member or the closing bracket, setting {@link #closed}; returns the position after it,
     * or -1 if neither follows.
     */
    private int separator(int p, byte close) {
        if (p < 0) {
            return -1;
        }
        p = skipSpace(p);
        closed = p < end && b[p] == close;
        if (closed) {
            return p + 1;
        }
        return p < end && b[p] == ',' ? skipSpace(p + 1) : -1;
    }

    /**
     * Returns the position of the quote that closes the string whose content starts at {@code p},
     * or -1 if the string is invalid; sets {@link #escaped} when it contains escapes.
     */
    private int stringEnd(int p) {
        escaped = false;
        while (true) {
            p = skipPlainWords(p);
            while (p < end && PLAIN[b[p] & 0xFF]) {
                p++;
            }
            if (p >= end) {
                return -1;
            }
            byte c = b[p];
            if (c == '"') {
                return p;
            }
            if (c != '\\') {
                return -1; // a control character
            }
            escaped = true;
            p = escapeEnd(p + 1);
            if (p < 0) {
                return -1;
            }
        }
    }

    /**
     * Skips whole 8-byte words that hold no quote, backslash or control character, testing all
     * eight bytes at once (SWAR); returns the position of the first word that does, or of the
     * last incomplete word. The lowest flagged byte of each test is exact, so the caller's byte
     * loop stops at the right place.
     */
    private int skipPlainWords(int p) {
        while (p + 8 <= end) {
            long w = (long) LONGS.get(b, p);
            long quote = w ^ 0x2222222222222222L;
            long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
            long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash)
                    | ((w - 0x2020202020202020L) & ~w);
            if ((special & HIGH_BITS) != 0) {
                return p + (Long.numberOfTrailingZeros(special & HIGH_BITS) >>> 3);
            }
            p += 8;
        }
        return p;
    }

    private int escapeEnd(int p) {
        if (p >= end) {
            return -1;
        }
        switch (b[p]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return p + 1;
            case 'u':
                if (p + 4 >= end) {
                    return -1;
                }
                for (int i = 1; i <= 4; i++) {
                    if (Character.digit(b[p + i], 16) < 0) {
                        return -1;
                    }
                }
                return p + 5;
            default:
                return -1;
        }
    }

    private int word(int p, byte[] word) {
        if (end - p < word.length) {
            return -1;
        }
        for (int i = 1; i < word.length; i++) {
            if (b[p + i] != word[i]) {
                return -1;
            }
        }
        return p + word.length;
    }

    /** Validates {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; returns the end or -1. */
    private int number(int p) {
        if (p < end && b[p] == '-') {
            p++;
        }
        if (p >= end || !isDigit(b[p])) {
            return -1;
        }
        if (b[p] == '0') {
            p++;
        } else {
            p = digits(p);
        }
        if (p < end && b[p] == '.') {
            int start = ++p;
            p = digits(p);
            if (p == start) {
                return -1;
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int start = p;
            p = digits(p);
            if (p == start) {
                return -1;
            }
        }
        return p;
    }

    private int digits(int p) {
        while (p < end && isDigit(b[p])) {
            p++;
        }
        return p;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
