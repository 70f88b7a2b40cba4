package dev.farad.filter.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The built-in functions. A path argument contributes its first value; a NULL argument gives NULL
 * except in {@code CONCAT} (skipped), {@code COALESCE} and {@code IF}.
 */
final class Functions {

    private Functions() {
    }

    /** A function name with its number of arguments. */
    enum Function {
        UPPER(1, 1), LOWER(1, 1), LENGTH(1, 1), SUBSTR(2, 3), CONCAT(1, Integer.MAX_VALUE),
        COALESCE(1, Integer.MAX_VALUE), ABS(1, 1), IF(3, 3);

        final int minArgs;
        final int maxArgs;

        Function(int minArgs, int maxArgs) {
            this.minArgs = minArgs;
            this.maxArgs = maxArgs;
        }

        /** Returns the function called {@code name} in any case, or null. */
        static Function named(String name) {
            for (Function f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            return null;
        }

        /** Returns the names of all functions, for error messages. */
        static String names() {
            return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
        }

        /** Describes the accepted argument count, for error messages. */
        String arity() {
            if (maxArgs == Integer.MAX_VALUE) {
                return "at least " + minArgs + " argument" + (minArgs == 1 ? "" : "s");
            }
            return (minArgs == maxArgs ? "" : minArgs + " to ") + maxArgs + " argument" + (maxArgs == 1 ? "" : "s");
        }
    }

    /** A call of a built-in function. */
    static final class Call extends Expr {
        private final Function function;
        private final Expr[] args;
        private final int register;

        Call(int register, Function function, List<Expr> args) {
            this.register = register;
            this.function = function;
            this.args = args.toArray(new Expr[0]);
        }

        @Override
        Value eval(EvalContext c) {
            Value out = c.registers[register];
            switch (function) {
                case IF:
                    return args[0].test(c) == Tri.TRUE ? args[1].eval(c) : args[2].eval(c);
                case COALESCE:
                    for (Expr arg : args) {
                        Value v = arg.eval(c);
                        if (!v.isNull()) {
                            return v;
                        }
                    }
                    return out.setNull();
                case CONCAT:
                    StringBuilder sb = new StringBuilder();
                    for (Expr arg : args) {
                        Value v = arg.eval(c);
                        if (!v.isNull()) {
                            sb.append(v.text());
                        }
                    }
                    return out.setString(sb.toString());
                default:
                    Value v = args[0].eval(c);
                    return v.isNull() ? out.setNull() : unary(c, v, out);
            }
        }

        private Value unary(EvalContext c, Value v, Value out) {
            switch (function) {
                case UPPER:
                    return out.setString(v.text().toUpperCase(Locale.ROOT));
                case LOWER:
                    return out.setString(v.text().toLowerCase(Locale.ROOT));
                case LENGTH:
                    String s = v.text();
                    return out.setLong(s.codePointCount(0, s.length()));
                case ABS:
                    Value x = Arithmetic.number(v, c.scratchA);
                    if (x == null) {
                        return out.setNull();
                    }
                    return x.type == Value.LONG && x.longValue != Long.MIN_VALUE
                            ? out.setLong(Math.abs(x.longValue)) : out.setDouble(Math.abs(x.asDouble()));
                default:
                    return substr(c, v.text(), out);
            }
        }

        /** SUBSTR(s, start[, length]): start is 1-based, negative counts from the end. */
        private Value substr(EvalContext c, String s, Value out) {
            long start = integerArg(c, 1);
            long length = args.length > 2 ? integerArg(c, 2) : Long.MAX_VALUE;
            if (start == Long.MIN_VALUE || length == Long.MIN_VALUE || length <= 0) {
                return out.setNull();
            }
            int[] codePoints = s.codePoints().toArray();
            long n = codePoints.length;
            long from = start > 0 ? start - 1 : start < 0 ? Math.max(0, n + start) : 0;
            if (from >= n) {
                return out.setNull();
            }
            long to = length >= n - from ? n : from + length;
            return out.setString(new String(codePoints, (int) from, (int) (to - from)));
        }

        /** Returns argument {@code i} truncated to an integer, or Long.MIN_VALUE when it is not a number. */
        private long integerArg(EvalContext c, int i) {
            Value x = Arithmetic.number(args[i].eval(c), c.scratchA);
            if (x == null) {
                return Long.MIN_VALUE;
            }
            if (x.type == Value.LONG) {
                return x.longValue == Long.MIN_VALUE ? Long.MIN_VALUE + 1 : x.longValue;
            }
            double d = x.doubleValue;
            return d != d ? Long.MIN_VALUE : (long) Math.max(Long.MIN_VALUE + 1, Math.min(Long.MAX_VALUE, d));
        }
    }
}
