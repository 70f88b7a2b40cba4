package dev.farad.filter.internal;

/**
 * A node of a compiled filter: evaluates itself against the fields collected in an
 * {@link EvalContext}.
 *
 * <p>A node that produces a value writes it to its own register in the context (or returns a
 * shared, never modified literal, or a child's value), so evaluation allocates nothing. A returned
 * {@link Value} stays valid until the same node is evaluated again, and callers never modify it.
 * Nodes are immutable and shared by all threads.
 */
abstract class Expr {

    /** Evaluates to one value; a path yields its first value, or NULL when it has none. */
    abstract Value eval(EvalContext c);

    /** Returns how many values this node has for array-aware operators: at least 1. */
    int count(EvalContext c) {
        return 1;
    }

    /** Returns value {@code i} (0 &lt;= i &lt; {@link #count}) for array-aware operators. */
    Value evalAt(EvalContext c, int i) {
        return eval(c);
    }

    /** Evaluates as a condition: {@link Tri#TRUE}, {@link Tri#FALSE} or {@link Tri#NULL}. */
    int test(EvalContext c) {
        return Tri.of(eval(c));
    }

    /** A constant. */
    static final class Literal extends Expr {
        private final Value value;

        Literal(Value value) {
            this.value = value;
        }

        @Override
        Value eval(EvalContext c) {
            return value;
        }

        Value value() {
            return value;
        }
    }

    /** The values at one path of the message. */
    static final class Field extends Expr {
        private final int slot;
        private final int register;

        Field(int slot, int register) {
            this.slot = slot;
            this.register = register;
        }

        int slot() {
            return slot;
        }

        int register() {
            return register;
        }

        @Override
        Value eval(EvalContext c) {
            return evalAt(c, 0);
        }

        @Override
        int count(EvalContext c) {
            return Math.max(1, c.count(slot));
        }

        @Override
        Value evalAt(EvalContext c, int i) {
            Value out = c.registers[register];
            return i < c.count(slot) ? c.load(slot, i, out) : out.setNull();
        }
    }

    /** A node whose natural result is a truth value; as a value it is a boolean or NULL. */
    abstract static class Predicate extends Expr {
        private final int register;

        Predicate(int register) {
            this.register = register;
        }

        @Override
        final Value eval(EvalContext c) {
            int t = test(c);
            Value out = c.registers[register];
            return t == Tri.NULL ? out.setNull() : out.setBool(t == Tri.TRUE);
        }

        @Override
        abstract int test(EvalContext c);
    }

    /**
     * A predicate over every value of its subject (a path may have many): TRUE if it holds for
     * any value, else NULL if it was NULL for any, else FALSE.
     */
    abstract static class AnyValue extends Predicate {
        final Expr subject;

        AnyValue(int register, Expr subject) {
            super(register);
            this.subject = subject;
        }

        @Override
        final int test(EvalContext c) {
            int n = subject.count(c);
            int result = Tri.FALSE;
            for (int i = 0; i < n; i++) {
                Value v = subject.evalAt(c, i);
                int t = v.isNull() ? Tri.NULL : testOne(c, v);
                if (t == Tri.TRUE) {
                    return Tri.TRUE;
                }
                if (t == Tri.NULL) {
                    result = Tri.NULL;
                }
            }
            return result;
        }

        /** Tests one non-NULL value of the subject. */
        abstract int testOne(EvalContext c, Value v);
    }
}
