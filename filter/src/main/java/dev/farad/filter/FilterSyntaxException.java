package dev.farad.filter;

import java.util.Objects;

/**
 * Thrown when a filter expression cannot be compiled: a syntax error, an unknown function, a
 * wrong number of arguments, an invalid {@code LIKE} regular expression or an exceeded
 * {@link FilterLimits limit}.
 *
 * <p>The message has the form {@code bad filter at position 12: expected ')' but found 'AND'}.
 * It quotes at most a short piece of the expression and never any message payload.
 *
 * <p>Immutable and thread-safe.
 */
public final class FilterSyntaxException extends IllegalArgumentException {

    private static final int MAX_FOUND_CHARS = 32;
    private static final String PREFIX = "bad filter ";

    /** 0-based {@code char} offset of the problem in the expression. */
    private final int position;
    /** What the compiler expected at {@link #position}. */
    private final String expected;

    /**
     * Creates an exception for a problem at {@code position}.
     *
     * @param position 0-based {@code char} offset in the expression where the problem starts
     * @param expected what the compiler expected there, for example {@code "')'"}
     * @param found    what it found there, for example {@code "'AND'"} or {@code "end of input"};
     *                 truncated to a short prefix in the message
     */
    public FilterSyntaxException(int position, String expected, String found) {
        super(PREFIX + detail(position, expected, found));
        this.position = position;
        this.expected = expected;
    }

    /**
     * Creates an exception for a problem at {@code position} with the given cause.
     *
     * @param position 0-based {@code char} offset in the expression where the problem starts
     * @param expected what the compiler expected there
     * @param found    what it found there
     * @param cause    the underlying failure, for example the regex engine's exception
     */
    public FilterSyntaxException(int position, String expected, String found, Throwable cause) {
        this(position, expected, found);
        initCause(cause);
    }

    /**
     * Returns where the problem starts.
     *
     * @return the 0-based {@code char} offset in the expression
     */
    public int position() {
        return position;
    }

    /**
     * Returns what the compiler expected at {@link #position()}.
     *
     * @return a short description, for example {@code "')'"} or {@code "at most 4096 characters"}
     */
    public String expected() {
        return expected;
    }

    /**
     * Returns the message without its leading {@code bad filter}, for a caller that names the
     * failure itself (the broker's reason {@code bad filter: <detail>}).
     *
     * @return for example {@code "at position 12: expected ')' but found 'AND'"}
     */
    public String detail() {
        return getMessage().substring(PREFIX.length());
    }

    private static String detail(int position, String expected, String found) {
        return "at position " + position + ": expected " + Objects.requireNonNull(expected, "expected")
                + " but found " + shorten(Objects.requireNonNull(found, "found"));
    }

    private static String shorten(String found) {
        return found.length() <= MAX_FOUND_CHARS ? found : found.substring(0, MAX_FOUND_CHARS) + "...";
    }
}
