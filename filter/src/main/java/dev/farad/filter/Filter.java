package dev.farad.filter;

import dev.farad.filter.internal.CompiledFilter;
import java.util.Objects;
import java.util.Set;

/**
 * A compiled content filter, such as {@code /region = 'eu' AND /qty > 100}, that decides whether a
 * JSON message matches.
 *
 * <p>Compile once, then call {@link #matches(byte[])} for each message. Evaluation makes one
 * streaming pass over the message bytes and decodes only the fields the filter names; it builds
 * no tree and, once warmed up on a thread, allocates nothing for plain comparisons of strings and
 * numbers. The language is described in {@code docs/FILTER.md}: XPath-like field paths, SQL-style
 * operators and SQL three-valued logic, where a filter matches only when it evaluates to TRUE.
 *
 * <pre>{@code
 * Filter filter = Filter.compile("/region = 'eu' AND /qty > 100");
 * filter.matches("{\"region\":\"eu\",\"qty\":150}".getBytes(UTF_8)); // true
 * filter.paths();                                                   // [/region, /qty]
 * }</pre>
 *
 * <p>Immutable and thread-safe: one instance may be shared by any number of threads. Each thread
 * that evaluates keeps a small reusable scratch context for the lifetime of the filter.
 *
 * <p>Pitfalls: a message that is not exactly one valid JSON object (or is nested more than 512
 * levels deep) never matches, even a filter such as {@code TRUE}; {@code matches} never throws
 * because of message content. {@code NOT (/a = 1)} does not match a message without {@code /a}
 * (the comparison is NULL and so is its negation); write {@code /a IS NULL OR /a != 1} for that.
 */
public final class Filter {

    private final String expression;
    private final CompiledFilter compiled;

    private Filter(String expression, CompiledFilter compiled) {
        this.expression = expression;
        this.compiled = compiled;
    }

    /**
     * Compiles {@code expression} within {@link FilterLimits#DEFAULT}.
     *
     * @param expression the filter text, for example {@code /region = 'eu' AND /qty > 100}
     * @return the compiled filter
     * @throws FilterSyntaxException if it is not a valid filter
     * @throws NullPointerException  if {@code expression} is null
     */
    public static Filter compile(String expression) {
        return compile(expression, FilterLimits.DEFAULT);
    }

    /**
     * Compiles {@code expression} within {@code limits}, which a broker tightens for filters
     * received from clients.
     *
     * @param expression the filter text
     * @param limits     the bounds the expression must respect
     * @return the compiled filter
     * @throws FilterSyntaxException if it is not a valid filter or exceeds a limit
     * @throws NullPointerException  if an argument is null
     */
    public static Filter compile(String expression, FilterLimits limits) {
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(limits, "limits");
        return new Filter(expression, CompiledFilter.compile(expression, limits));
    }

    /**
     * Returns true if {@code json} is a UTF-8 JSON object for which the filter evaluates to TRUE.
     * The caller keeps ownership of the array, which is not retained after the call.
     *
     * @param json the UTF-8 message
     * @return true if the message matches; false if it does not or is not a valid JSON object
     * @throws NullPointerException if {@code json} is null
     */
    public boolean matches(byte[] json) {
        return compiled.matches(json, 0, json.length);
    }

    /**
     * Returns true if {@code json[offset, offset + length)} is a UTF-8 JSON object for which the
     * filter evaluates to TRUE. The caller keeps ownership of the array, which is not retained
     * after the call.
     *
     * @param json   the buffer holding the UTF-8 message
     * @param offset index of the message's first byte in {@code json}
     * @param length number of bytes of the message
     * @return true if the message matches; false if it does not or is not a valid JSON object
     * @throws NullPointerException      if {@code json} is null
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public boolean matches(byte[] json, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, json.length);
        return compiled.matches(json, offset, length);
    }

    /**
     * Returns the expression this filter was compiled from, exactly as given.
     *
     * @return the filter text
     */
    public String expression() {
        return expression;
    }

    /**
     * Returns the field paths the filter reads, in canonical form ({@code /a/b[0]}, or
     * {@code [/order-id]} for names that need brackets) and in order of first use.
     *
     * @return an unmodifiable set of paths; empty if the filter reads no field
     */
    public Set<String> paths() {
        return compiled.paths();
    }

    @Override
    public String toString() {
        return "Filter[" + expression + "]";
    }
}
