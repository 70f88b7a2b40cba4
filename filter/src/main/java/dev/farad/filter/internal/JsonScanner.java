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
 * <p>Two loops share the work. Values on a wanted path go through {@link #value}, which recurses
 * with the trie. Every other value, which is most of a message, goes through {@link #skip}: it
 * validates exactly as strictly but keeps no path, so it runs without recursion, keeps its open
 * brackets in {@link #closers} and never calls the sink.
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

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    /**
     * How many bytes of a string {@link #stringEnd} tests one at a time before it reads whole
     * words. Short strings, most keys and values, end sooner that way: the byte loop's exit is
     * predicted, while a word test makes every later step wait for its result.
     */
    private static final int BYTE_PREFIX = 16;
    private static final int TRUE_WORD = 0x65757274; // "true" read little-endian
    private static final int ALSE_WORD = 0x65736C61; // "alse", the rest of "false"
    private static final int NULL_WORD = 0x6C6C756E; // "null"

    /** Bytes that may appear in a string as they are: all but quote, backslash and controls. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int i = 0x20; i < 256; i++) {
            PLAIN[i] = i != '"' && i != '\\';
        }
    }

    /** The closing bracket of each container {@link #skipContainer} has open, by nesting level. */
    private final byte[] closers = new byte[MAX_DEPTH + 1];
    /**
     * The message being scanned. The sink reads its values from here and clears it after the
     * evaluation: one reference field, written once per message, because every reference store
     * costs a garbage-collector barrier.
     */
    byte[] b;
    private int end;
    private final EvalContext sink;
    /** Set by {@link #stringEnd} when the string has an escape; callers that care clear it first. */
    private boolean escaped;
    private boolean closed;

    /** Creates the scanner of {@code sink}, to which it passes the values it finds. */
    JsonScanner(EvalContext sink) {
        this.sink = sink;
    }

    /**
     * Scans {@code buf[off, off + len)}, which must hold exactly one JSON object, passing the
     * values at the paths of the trie {@code root} to the sink. Leaves {@code buf} in {@link #b}
     * for the sink to read the values from, until it clears it.
     *
     * @return false if the bytes are not one valid JSON object
     */
    boolean scan(byte[] buf, int off, int len, PathNode root) {
        this.b = buf;
        this.end = off + len;
        int p = skipSpace(off);
        if (p >= end || b[p] != '{') {
            return false;
        }
        // The document is an object: its members go straight to the member loop, or to the
        // skipping one when the filter names no field.
        p = root.hasChildren() ? object(p + 1, root, 1) : skipContainer(p, 0);
        return p >= 0 && skipSpace(p) == end;
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

    /**
     * Scans the value starting at {@code p} on the path of {@code node}; returns the position
     * after it, or -1 if invalid. {@code depth} is the nesting of the container holding it.
     */
    private int value(int p, PathNode node, int depth) {
        if (p >= end) {
            return -1;
        }
        byte c = b[p];
        int slot = node.slot();
        if (c == '"') {
            escaped = false;
            int close = stringEnd(p + 1);
            if (close >= 0 && slot >= 0) {
                sink.add(slot, escaped ? ESCAPED_STRING : STRING, p + 1, close);
            }
            return close < 0 ? -1 : close + 1;
        }
        if (c == '{' || c == '[') {
            if (slot >= 0) {
                sink.markNonScalar(slot);
            }
            if (c == '{' && node.hasChildren()) {
                return depth < MAX_DEPTH ? object(p + 1, node, depth + 1) : -1;
            }
            if (c == '[' && (slot >= 0 || node.hasChildren() || node.hasIndexes())) {
                return depth < MAX_DEPTH ? array(p + 1, node, depth + 1) : -1;
            }
            return skipContainer(p, depth);
        }
        int after = scalar(p, c);
        if (after >= 0 && slot >= 0) {
            byte kind = switch (c) {
                case 't' -> TRUE;
                case 'f' -> FALSE;
                case 'n' -> NULL;
                default -> NUMBER;
            };
            sink.add(slot, kind, p, after);
        }
        return after;
    }

    /** The members of an object on the path of {@code node}, which has children; {@code p} is after the brace. */
    private int object(int p, PathNode node, int depth) {
        p = skipSpace(p);
        if (p < end && b[p] == '}') {
            return p + 1;
        }
        while (true) {
            if (p >= end || b[p] != '"') {
                return -1;
            }
            int keyStart = p + 1;
            escaped = false;
            int keyEnd = stringEnd(keyStart);
            if (keyEnd < 0) {
                return -1;
            }
            PathNode child;
            if (escaped) {
                byte[] key = JsonStrings.unescape(b, keyStart, keyEnd).getBytes(StandardCharsets.UTF_8);
                child = node.child(key, 0, key.length);
            } else {
                child = node.child(b, keyStart, keyEnd);
            }
            p = colon(keyEnd + 1);
            if (p < 0) {
                return -1;
            }
            if (child != null) {
                p = value(p, child, depth);
            } else if (p < end && b[p] == '"') {
                // Most skipped members are strings: here they cost no call to skip.
                p = stringEnd(p + 1);
                p = p < 0 ? -1 : p + 1;
            } else {
                p = skip(p, depth);
            }
            if (p < 0) {
                return -1;
            }
            // Compact JSON, the common case: a comma straight after the value, a quote after it.
            if (p + 1 < end && b[p] == ',' && b[p + 1] == '"') {
                p++;
                continue;
            }
            p = separator(p, (byte) '}');
            if (p < 0 || closed) {
                return p;
            }
        }
    }

    /** The elements of an array on the path of {@code node}; {@code p} is after the bracket. */
    private int array(int p, PathNode node, int depth) {
        p = skipSpace(p);
        if (p < end && b[p] == ']') {
            return p + 1;
        }
        for (int i = 0; ; i++) {
            if (node.hasIndexes()) {
                PathNode element = node.index(i);
                if (element != null && value(p, element, depth) < 0) {
                    return -1;
                }
            }
            p = value(p, node, depth);
            p = separator(p, (byte) ']');
            if (p < 0 || closed) {
                return p;
            }
        }
    }

    /**
     * After a member or element ending at {@code p} (or -1 if it was invalid), consumes the comma
     * before the next one or the closing bracket, setting {@link #closed}; returns the position
     * after it, or -1 if neither follows.
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

    /** After a key's closing quote at {@code p - 1}: consumes the colon; returns where the value starts, or -1. */
    private int colon(int p) {
        if (p < end && b[p] == ':') {
            return skipSpace(p + 1); // the compact form, without a call to the whitespace loop
        }
        p = skipSpace(p);
        return p < end && b[p] == ':' ? skipSpace(p + 1) : -1;
    }

    /** Validates the value at {@code p} that no wanted path reaches; returns the position after it, or -1. */
    private int skip(int p, int depth) {
        if (p >= end) {
            return -1;
        }
        byte c = b[p];
        if (c == '"') {
            int close = stringEnd(p + 1);
            return close < 0 ? -1 : close + 1;
        }
        if (c == '{' || c == '[') {
            return skipContainer(p, depth);
        }
        return scalar(p, c);
    }

    /**
     * Validates the object or array at {@code p}, and everything in it, with one loop instead of
     * a call per value: {@link #closers} is the stack of the brackets still open. Returns the
     * position after it, or -1.
     */
    private int skipContainer(int p, int depth) {
        byte[] closers = this.closers;
        int level = 0;
        while (true) {
            // At the start of a value.
            if (p >= end) {
                return -1;
            }
            byte c = b[p];
            if (c == '"') { // the most common value first
                p = stringEnd(p + 1);
                if (p < 0) {
                    return -1;
                }
                p++;
            } else if (c == '{' || c == '[') {
                if (depth + ++level > MAX_DEPTH) {
                    return -1;
                }
                byte close = (byte) (c + 2); // '{' + 2 == '}' and '[' + 2 == ']'
                closers[level] = close;
                p = skipSpace(p + 1);
                if (p >= end) {
                    return -1;
                }
                if (b[p] != close) {
                    p = c == '{' ? member(p) : p;
                    if (p < 0) {
                        return -1;
                    }
                    continue;
                }
                level--;
                p++;
            } else {
                p = scalar(p, c);
                if (p < 0) {
                    return -1;
                }
            }
            // After a value: close containers until a comma starts the next value.
            while (true) {
                if (level == 0) {
                    return p;
                }
                p = skipSpace(p);
                if (p >= end) {
                    return -1;
                }
                c = b[p];
                if (c == ',') {
                    p = skipSpace(p + 1);
                    if (closers[level] == '}') {
                        p = member(p);
                        if (p < 0) {
                            return -1;
                        }
                    }
                    break;
                }
                if (c != closers[level]) {
                    return -1;
                }
                level--;
                p++;
            }
        }
    }

    /** Consumes a skipped member's key and colon at {@code p}; returns where its value starts, or -1. */
    private int member(int p) {
        if (p >= end || b[p] != '"') {
            return -1;
        }
        p = stringEnd(p + 1);
        return p < 0 ? -1 : colon(p + 1);
    }

    /**
     * Returns the position of the quote that closes the string whose content starts at {@code p},
     * or -1 if the string is invalid; sets {@link #escaped} when it contains escapes.
     */
    private int stringEnd(int p) {
        int stop = end - p > BYTE_PREFIX ? p + BYTE_PREFIX : end;
        while (p < stop && PLAIN[b[p] & 0xFF]) {
            p++;
        }
        if (p < stop && b[p] == '"') {
            return p;
        }
        return stringTail(p); // kept out of line so that the common case above stays small
    }

    /** {@link #stringEnd} for a long string, an escape, a control character or the end of input. */
    private int stringTail(int p) {
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
     * loop stops at the right place. XOR with 0x02 maps the quote to 0x20 and keeps the control
     * characters below it, so one "less than 0x21" test finds both.
     */
    private int skipPlainWords(int p) {
        while (p + 8 <= end) {
            long w = (long) LONGS.get(b, p);
            long x = w ^ 0x0202020202020202L;
            long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
            long special = (((x - 0x2121212121212121L) & ~x) | ((backslash - ONES) & ~backslash)) & HIGH_BITS;
            if (special != 0) {
                return p + (Long.numberOfTrailingZeros(special) >>> 3);
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

    /** Validates the number or literal that starts with {@code c} at {@code p}; returns the end or -1. */
    private int scalar(int p, byte c) {
        return switch (c) {
            case 't' -> word(p, TRUE_WORD);
            case 'f' -> word(p + 1, ALSE_WORD);
            case 'n' -> word(p, NULL_WORD);
            default -> number(p);
        };
    }

    /** Compares the four bytes at {@code p} with {@code word} in one read. */
    private int word(int p, int word) {
        return end - p >= 4 && (int) INTS.get(b, p) == word ? p + 4 : -1;
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
            p = digits(p + 1);
        }
        if (p >= end) {
            return p;
        }
        byte c = b[p];
        if (c == '.') {
            int start = ++p;
            p = digits(p);
            if (p == start) {
                return -1;
            }
            if (p >= end) {
                return p;
            }
            c = b[p];
        }
        if (c == 'e' || c == 'E') {
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
