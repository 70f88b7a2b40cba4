package dev.farad.filter.internal;

/**
 * {@code + - * / %} and unary minus. Operands are converted to numbers (strings when they parse,
 * booleans as 1/0); anything else, a NULL operand or a division by zero gives NULL. Two int64
 * operands give an int64 (division truncates) unless the result overflows, which gives a double.
 */
final class Arithmetic {

    private Arithmetic() {
    }

    /** The binary arithmetic operators. */
    enum Op {
        ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO
    }

    /**
     * Returns {@code v} as a number, converting into {@code scratch} when needed, or null when it
     * has no numeric value. Call only after all operands have been evaluated.
     */
    static Value number(Value v, Value scratch) {
        return switch (v.type) {
            case Value.LONG, Value.DOUBLE -> v;
            case Value.BOOL -> scratch.setLong(v.bool ? 1 : 0);
            case Value.STRING -> Numbers.parse(v, scratch) ? scratch : null;
            default -> null;
        };
    }

    /** {@code left op right}. */
    static final class Binary extends Expr {
        private final Op op;
        private final Expr left;
        private final Expr right;
        private final int register;

        Binary(int register, Expr left, Op op, Expr right) {
            this.register = register;
            this.left = left;
            this.op = op;
            this.right = right;
        }

        @Override
        Value eval(EvalContext c) {
            Value a = left.eval(c);
            Value b = right.eval(c);
            Value out = c.registers[register];
            Value x = number(a, c.scratchA);
            Value y = number(b, c.scratchB);
            if (x == null || y == null) {
                return out.setNull();
            }
            if (x.type == Value.LONG && y.type == Value.LONG) {
                return longs(x.longValue, y.longValue, out);
            }
            return doubles(x.asDouble(), y.asDouble(), out);
        }

        private Value longs(long x, long y, Value out) {
            try {
                return switch (op) {
                    case ADD -> out.setLong(Math.addExact(x, y));
                    case SUBTRACT -> out.setLong(Math.subtractExact(x, y));
                    case MULTIPLY -> out.setLong(Math.multiplyExact(x, y));
                    case DIVIDE -> y == 0 ? out.setNull()
                            : x == Long.MIN_VALUE && y == -1 ? out.setDouble(-(double) x) : out.setLong(x / y);
                    case MODULO -> y == 0 ? out.setNull() : out.setLong(x % y);
                };
            } catch (ArithmeticException overflow) {
                return doubles(x, y, out);
            }
        }

        private Value doubles(double x, double y, Value out) {
            double r = switch (op) {
                case ADD -> x + y;
                case SUBTRACT -> x - y;
                case MULTIPLY -> x * y;
                case DIVIDE -> y == 0 ? Double.NaN : x / y;
                case MODULO -> y == 0 ? Double.NaN : x % y;
            };
            return Double.isNaN(r) ? out.setNull() : out.setDouble(r);
        }
    }

    /** Unary minus. */
    static final class Negate extends Expr {
        private final Expr operand;
        private final int register;

        Negate(int register, Expr operand) {
            this.register = register;
            this.operand = operand;
        }

        @Override
        Value eval(EvalContext c) {
            Value x = number(operand.eval(c), c.scratchA);
            Value out = c.registers[register];
            if (x == null) {
                return out.setNull();
            }
            if (x.type == Value.LONG && x.longValue != Long.MIN_VALUE) {
                return out.setLong(-x.longValue);
            }
            return out.setDouble(-x.asDouble());
        }
    }
}
