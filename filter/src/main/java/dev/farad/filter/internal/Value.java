package dev.farad.filter.internal;

import java.nio.charset.StandardCharsets;

/**
 * A mutable value register: NULL, boolean, int64, double or string. A string is held either as a
 * slice of UTF-8 bytes (straight from the message or a literal, so no {@code String} is created
 * when bytes can be compared directly) or as a {@code String}, or both.
 *
 * <p>The empty string is stored as NULL. Not thread-safe: registers of a compiled filter live in
 * a per-thread {@link EvalContext}; literal values are shared but never modified after
 * construction.
 */
final class Value {

    static final byte NULL = 0;
    static final byte BOOL = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte STRING = 4;

    byte type;
    boolean bool;
    long longValue;
    double doubleValue;
    byte[] bytes;
    int offset;
    int length;
    String string;

    Value setNull() {
        type = NULL;
        return this;
    }

    Value setBool(boolean b) {
        type = BOOL;
        bool = b;
        return this;
    }

    Value setLong(long v) {
        type = LONG;
        longValue = v;
        return this;
    }

    Value setDouble(double v) {
        type = DOUBLE;
        doubleValue = v;
        return this;
    }

    Value setBytes(byte[] b, int off, int len) {
        if (len == 0) {
            return setNull();
        }
        type = STRING;
        bytes = b;
        offset = off;
        length = len;
        string = null;
        return this;
    }

    Value setString(String s) {
        if (s.isEmpty()) {
            return setNull();
        }
        type = STRING;
        bytes = null;
        string = s;
        return this;
    }

    Value set(Value v) {
        type = v.type;
        bool = v.bool;
        longValue = v.longValue;
        doubleValue = v.doubleValue;
        bytes = v.bytes;
        offset = v.offset;
        length = v.length;
        string = v.string;
        return this;
    }

    boolean isNull() {
        return type == NULL;
    }

    boolean isNumber() {
        return type == LONG || type == DOUBLE;
    }

    /** Returns the value as text: strings as they are, numbers and booleans in their literal form. */
    String text() {
        return switch (type) {
            case STRING -> {
                if (string == null) {
                    string = new String(bytes, offset, length, StandardCharsets.UTF_8);
                }
                yield string;
            }
            case LONG -> Long.toString(longValue);
            case DOUBLE -> Double.toString(doubleValue);
            case BOOL -> bool ? "true" : "false";
            default -> "";
        };
    }

    /** Returns the UTF-8 bytes of a string value, creating them only when the value has none. */
    byte[] utf8() {
        if (bytes == null) {
            bytes = string.getBytes(StandardCharsets.UTF_8);
            offset = 0;
            length = bytes.length;
        }
        return bytes;
    }

    double asDouble() {
        return type == LONG ? longValue : doubleValue;
    }

    @Override
    public String toString() {
        return type == NULL ? "NULL" : text();
    }
}
