package dev.farad.filter.internal;

/** SQL three-valued logic: the results of predicates are {@link #FALSE}, {@link #TRUE} or {@link #NULL}. */
final class Tri {

    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int NULL = 2;

    private Tri() {
    }

    static int of(boolean b) {
        return b ? TRUE : FALSE;
    }

    static int not(int t) {
        return t == NULL ? NULL : TRUE - t;
    }

    /**
     * Returns the truth of a value used as a condition: booleans as they are, numbers true when
     * non-zero, the strings {@code true}/{@code false} in any case, and NULL for anything else.
     */
    static int of(Value v) {
        return switch (v.type) {
            case Value.BOOL -> of(v.bool);
            case Value.LONG -> of(v.longValue != 0);
            case Value.DOUBLE -> v.doubleValue != v.doubleValue ? NULL : of(v.doubleValue != 0);
            case Value.STRING -> {
                String s = v.text();
                yield s.equalsIgnoreCase("true") ? TRUE : s.equalsIgnoreCase("false") ? FALSE : NULL;
            }
            default -> NULL;
        };
    }
}
