package dev.farad.filter.internal;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Comparison, {@code BETWEEN}, {@code IN}, {@code LIKE}, {@code BEGINS WITH}, {@code ENDS WITH}
 * and {@code IS NULL}. All but {@code IS NULL} are array-aware: they hold when any value of the
 * subject satisfies them. The negated forms ({@code NOT IN} and so on) are {@link Logic.Not}
 * around these.
 */
final class Predicates {

    private Predicates() {
    }

    /** The six comparison operators. */
    enum Op {
        EQ, NE, LT, LE, GT, GE
    }

    /** {@code subject op right}, where the right side may also have many values. */
    static final class Comparison extends Expr.AnyValue {
        private final Op op;
        private final Expr right;

        Comparison(int register, Expr subject, Op op, Expr right) {
            super(register, subject);
            this.op = op;
            this.right = right;
        }

        @Override
        int testOne(EvalContext c, Value v) {
            int n = right.count(c);
            int result = Tri.FALSE;
            for (int i = 0; i < n; i++) {
                int t = apply(op, c, v, right.evalAt(c, i));
                if (t == Tri.TRUE) {
                    return Tri.TRUE;
                }
                if (t == Tri.NULL) {
                    result = Tri.NULL;
                }
            }
            return result;
        }

        /** Applies {@code op} to a non-NULL {@code a} and any {@code b}. */
        static int apply(Op op, EvalContext c, Value a, Value b) {
            if (b.isNull()) {
                return Tri.NULL;
            }
            if (op == Op.EQ) {
                return Tri.of(Compare.equal(a, b, c));
            }
            int r = Compare.compare(a, b, c);
            if (r == Compare.NO_ORDER) {
                return Tri.NULL;
            }
            return Tri.of(holds(op, r));
        }

        /** Returns whether {@code op} holds for a comparison result {@code r} (negative, 0 or positive). */
        static boolean holds(Op op, int r) {
            return switch (op) {
                case EQ -> r == 0;
                case NE -> r != 0;
                case LT -> r < 0;
                case LE -> r <= 0;
                case GT -> r > 0;
                default -> r >= 0;
            };
        }
    }

    /**
     * {@code path op literal}, the most common comparison, evaluated without virtual calls and,
     * for {@code =} and {@code !=} on strings, by comparing the message bytes with the literal's
     * UTF-8 directly. Same results as {@link Comparison}.
     */
    static final class PathVersusLiteral extends Expr.Predicate {
        private final int slot;
        private final int valueRegister;
        private final Op op;
        private final Value literal;
        private final boolean stringEquality;
        private final boolean equality;
        /** {@link Bytes#head} of a string literal's UTF-8, for literals of at most eight bytes. */
        private final long literalHead;
        private final boolean longLiteral;
        /** Bit {@code r + 1} is set when {@code op} holds for a comparison result {@code r} of -1, 0 or 1. */
        private final int holdsFor;

        PathVersusLiteral(int register, int slot, int valueRegister, Op op, Value literal) {
            super(register);
            this.slot = slot;
            this.valueRegister = valueRegister;
            this.op = op;
            this.literal = literal;
            this.stringEquality = literal.type == Value.STRING && (op == Op.EQ || op == Op.NE);
            this.equality = op == Op.EQ;
            this.longLiteral = literal.type == Value.LONG;
            this.holdsFor = (Comparison.holds(op, -1) ? 1 : 0) | (Comparison.holds(op, 0) ? 2 : 0)
                    | (Comparison.holds(op, 1) ? 4 : 0);
            if (stringEquality) {
                literal.utf8();
            }
            this.literalHead = stringEquality ? Bytes.head(literal.bytes, literal.offset, literal.length) : 0;
        }

        /** Returns the operator that gives the same result with the operands swapped. */
        static Op mirror(Op op) {
            return switch (op) {
                case LT -> Op.GT;
                case LE -> Op.GE;
                case GT -> Op.LT;
                case GE -> Op.LE;
                default -> op;
            };
        }

        @Override
        int test(EvalContext c) {
            int n = c.count(slot);
            if (n == 1) {
                return testOne(c, 0); // most paths have one value
            }
            if (n == 0 || literal.isNull()) {
                return Tri.NULL;
            }
            int result = Tri.FALSE;
            for (int i = 0; i < n; i++) {
                int t = testOne(c, i);
                if (t == Tri.TRUE) {
                    return Tri.TRUE;
                }
                if (t == Tri.NULL) {
                    result = Tri.NULL;
                }
            }
            return result;
        }

        private int testOne(EvalContext c, int i) {
            long small;
            if (stringEquality && c.kind(slot, i) == JsonScanner.STRING) {
                int length = c.length(slot, i);
                if (length == 0) {
                    return Tri.NULL;
                }
                boolean same = length == literal.length && (length <= Long.BYTES
                        ? c.head(slot, i) == literalHead
                        : c.bytesEqual(slot, i, literal.bytes, literal.offset, literal.length));
                return Tri.of(same == equality);
            }
            if (longLiteral && (small = c.smallInteger(slot, i)) != EvalContext.NOT_SMALL) {
                // Both int64: the general path would compare them exactly the same way.
                return (holdsFor >>> (Long.compare(small, literal.longValue) + 1)) & 1;
            }
            Value v = c.load(slot, i, c.registers[valueRegister]);
            return v.isNull() || literal.isNull() ? Tri.NULL : Comparison.apply(op, c, v, literal);
        }
    }

    /** {@code subject BETWEEN low AND high}, both ends inclusive. */
    static final class Between extends Expr.AnyValue {
        private final Expr low;
        private final Expr high;

        Between(int register, Expr subject, Expr low, Expr high) {
            super(register, subject);
            this.low = low;
            this.high = high;
        }

        @Override
        int testOne(EvalContext c, Value v) {
            int lo = Compare.compare(v, low.eval(c), c);
            if (lo != Compare.NO_ORDER && lo < 0) {
                return Tri.FALSE;
            }
            int hi = Compare.compare(v, high.eval(c), c);
            if (hi != Compare.NO_ORDER && hi > 0) {
                return Tri.FALSE;
            }
            return lo == Compare.NO_ORDER || hi == Compare.NO_ORDER ? Tri.NULL : Tri.TRUE;
        }
    }

    /** {@code subject IN (a, b, ...)}: equality with any item; a NULL item never matches. */
    static final class In extends Expr.AnyValue {
        private final Expr[] items;

        In(int register, Expr subject, List<Expr> items) {
            super(register, subject);
            this.items = items.toArray(new Expr[0]);
        }

        @Override
        int testOne(EvalContext c, Value v) {
            int result = Tri.FALSE;
            for (Expr item : items) {
                Value x = item.eval(c);
                if (x.isNull()) {
                    result = Tri.NULL;
                } else if (Compare.equal(v, x, c)) {
                    return Tri.TRUE;
                }
            }
            return result;
        }
    }

    /** {@code subject LIKE 'regex'}: an unanchored RE2 search in the text of the value. */
    static final class Like extends Expr.AnyValue {
        private final Pattern pattern;

        Like(int register, Expr subject, Pattern pattern) {
            super(register, subject);
            this.pattern = pattern;
        }

        @Override
        int testOne(EvalContext c, Value v) {
            return Tri.of(pattern.matcher(v.text()).find());
        }
    }

    /** {@code subject BEGINS WITH (a, ...)} or {@code ENDS WITH}: the text starts (ends) with any item. */
    static final class Affix extends Expr.AnyValue {
        private final Expr[] items;
        private final boolean suffix;

        Affix(int register, Expr subject, List<Expr> items, boolean suffix) {
            super(register, subject);
            this.items = items.toArray(new Expr[0]);
            this.suffix = suffix;
        }

        @Override
        int testOne(EvalContext c, Value v) {
            byte[] text = bytesOf(v);
            int textFrom = v.type == Value.STRING ? v.offset : 0;
            int textLength = v.type == Value.STRING ? v.length : text.length;
            int result = Tri.FALSE;
            for (Expr item : items) {
                Value x = item.eval(c);
                if (x.isNull()) {
                    result = Tri.NULL;
                    continue;
                }
                byte[] affix = bytesOf(x);
                int affixFrom = x.type == Value.STRING ? x.offset : 0;
                int affixLength = x.type == Value.STRING ? x.length : affix.length;
                if (affixLength <= textLength) {
                    int from = suffix ? textFrom + textLength - affixLength : textFrom;
                    if (Arrays.equals(text, from, from + affixLength, affix, affixFrom, affixFrom + affixLength)) {
                        return Tri.TRUE;
                    }
                }
            }
            return result;
        }

        /** Returns the UTF-8 of a value's text: a string's own bytes, else a fresh array. */
        private static byte[] bytesOf(Value v) {
            return v.type == Value.STRING ? v.utf8() : v.text().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code subject IS NULL}: TRUE when the subject has no non-NULL value. */
    static final class IsNull extends Expr.Predicate {
        private final Expr subject;

        IsNull(int register, Expr subject) {
            super(register);
            this.subject = subject;
        }

        @Override
        int test(EvalContext c) {
            int n = subject.count(c);
            for (int i = 0; i < n; i++) {
                if (!subject.evalAt(c, i).isNull()) {
                    return Tri.FALSE;
                }
            }
            return Tri.TRUE;
        }
    }
}
