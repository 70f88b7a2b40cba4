package dev.farad.filter.internal;

import java.util.List;

/** {@code AND}, {@code OR} and {@code NOT} with SQL three-valued logic and short-circuit evaluation. */
final class Logic {

    private Logic() {
    }

    /**
     * n-ary AND or OR. AND is FALSE as soon as an operand is FALSE, else NULL if any operand was
     * NULL, else TRUE; OR is the same with TRUE and FALSE swapped.
     */
    static final class Junction extends Expr.Predicate {
        private final Expr[] operands;
        /** The first two operands, which every junction has, held apart so that each call site stays monomorphic. */
        private final Expr first;
        private final Expr second;
        private final int decisive;

        Junction(int register, List<Expr> operands, boolean and) {
            super(register);
            this.operands = operands.toArray(new Expr[0]);
            if (this.operands.length < 2) {
                throw new IllegalArgumentException("a junction needs two operands");
            }
            this.first = this.operands[0];
            this.second = this.operands[1];
            this.decisive = and ? Tri.FALSE : Tri.TRUE;
        }

        @Override
        int test(EvalContext c) {
            int t1 = first.test(c);
            if (t1 == decisive) {
                return decisive;
            }
            int t2 = second.test(c);
            if (t2 == decisive) {
                return decisive;
            }
            int result = t1 == Tri.NULL || t2 == Tri.NULL ? Tri.NULL : Tri.not(decisive);
            for (int i = 2; i < operands.length; i++) {
                int t = operands[i].test(c);
                if (t == decisive) {
                    return decisive;
                }
                if (t == Tri.NULL) {
                    result = Tri.NULL;
                }
            }
            return result;
        }
    }

    /** NOT: swaps TRUE and FALSE, keeps NULL. */
    static final class Not extends Expr.Predicate {
        private final Expr operand;

        Not(int register, Expr operand) {
            super(register);
            this.operand = operand;
        }

        @Override
        int test(EvalContext c) {
            return Tri.not(operand.test(c));
        }
    }
}
