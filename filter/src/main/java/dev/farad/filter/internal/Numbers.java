package dev.farad.filter.internal;

import java.nio.charset.StandardCharsets;

/** Number parsing straight from UTF-8 bytes, without creating a {@code String} in the common case. */
final class Numbers {

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    private Numbers() {
    }

    /**
     * Parses {@code [+-]digits[.digits][(e|E)[+-]digits]} (digits on at least one side of the
     * point) into {@code out} as an int64 when it has no fraction or exponent and fits, else as a
     * double.
     *
     * @return false, leaving {@code out} untouched, if the bytes are not such a number
     */
    static boolean parse(byte[] b, int off, int len, Value out) {
        int end = off + len;
        int p = off;
        boolean negative = false;
        if (p < end && (b[p] == '-' || b[p] == '+')) {
            negative = b[p] == '-';
            p++;
        }
        long mantissa = 0;
        int significant = 0;
        int digits = 0;
        boolean overflow = false;
        int scale = 0;
        while (p < end && isDigit(b[p])) {
            if (significant < 18) {
                mantissa = mantissa * 10 + (b[p] - '0');
                if (mantissa != 0) {
                    significant++;
                }
            } else {
                overflow = true;
                scale++;
            }
            digits++;
            p++;
        }
        boolean integral = true;
        if (p < end && b[p] == '.') {
            integral = false;
            p++;
            while (p < end && isDigit(b[p])) {
                if (significant < 18) {
                    mantissa = mantissa * 10 + (b[p] - '0');
                    if (mantissa != 0) {
                        significant++;
                    }
                    scale--;
                } else {
                    overflow = true;
                }
                digits++;
                p++;
            }
        }
        if (digits == 0) {
            return false;
        }
        int exponent = 0;
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            integral = false;
            p++;
            boolean negativeExponent = false;
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                negativeExponent = b[p] == '-';
                p++;
            }
            int expDigits = 0;
            while (p < end && isDigit(b[p])) {
                if (exponent < 100_000) {
                    exponent = exponent * 10 + (b[p] - '0');
                }
                expDigits++;
                p++;
            }
            if (expDigits == 0) {
                return false;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (p != end) {
            return false;
        }
        if (integral && !overflow) {
            out.setLong(negative ? -mantissa : mantissa);
            return true;
        }
        int power = scale + exponent;
        if (!overflow && significant <= 15 && power >= -22 && power <= 22) {
            double d = power < 0 ? mantissa / POWERS_OF_TEN[-power] : mantissa * POWERS_OF_TEN[power];
            out.setDouble(negative ? -d : d);
            return true;
        }
        if (integral) {
            // An integer beyond 18 digits may still fit an int64.
            try {
                out.setLong(Long.parseLong(new String(b, off, len, StandardCharsets.US_ASCII)));
                return true;
            } catch (NumberFormatException outOfRange) {
                // Falls through to double.
            }
        }
        out.setDouble(Double.parseDouble(new String(b, off, len, StandardCharsets.US_ASCII)));
        return true;
    }

    /** Parses a string value as a number into {@code out}; returns false if it is not numeric. */
    static boolean parse(Value s, Value out) {
        byte[] b = s.utf8();
        return parse(b, s.offset, s.length, out);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
