package dev.farad.filter;

/**
 * Bounds that {@link Filter#compile(String, FilterLimits)} enforces on a filter expression, so
 * that a filter received from a remote client cannot exhaust the stack or the regex engine.
 *
 * <p>Exceeding a limit makes {@code compile} throw a {@link FilterSyntaxException} that names the
 * limit, for example {@code bad filter at position 4096: expected at most 4096 characters but
 * found 5000 characters}.
 *
 * <p>Pitfall: compilation and evaluation recurse once per nesting level, so a {@code maxDepth} in
 * the thousands can overflow a thread's stack; the default of 64 is ample for real filters.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxLength      maximum length of the expression, in {@code char}s; must be &gt; 0
 * @param maxDepth       maximum nesting depth of the expression tree (parentheses, {@code NOT},
 *                       function calls and chained arithmetic each add a level); must be &gt; 0
 * @param maxRegexLength maximum length of a {@code LIKE} pattern, in {@code char}s; must be &gt; 0
 */
public record FilterLimits(int maxLength, int maxDepth, int maxRegexLength) {

    /** 4096 characters, depth 64, regex patterns of 1024 characters. */
    public static final FilterLimits DEFAULT = new FilterLimits(4096, 64, 1024);

    /**
     * Validates the limits.
     *
     * @param maxLength      maximum length of the expression, in {@code char}s
     * @param maxDepth       maximum nesting depth of the expression tree
     * @param maxRegexLength maximum length of a {@code LIKE} pattern, in {@code char}s
     * @throws IllegalArgumentException if a limit is not positive
     */
    public FilterLimits {
        requirePositive("maxLength", maxLength);
        requirePositive("maxDepth", maxDepth);
        requirePositive("maxRegexLength", maxRegexLength);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0 but was " + value);
        }
    }
}
