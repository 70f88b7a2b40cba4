package dev.farad.server.internal;

import dev.farad.filter.Filter;
import dev.farad.filter.FilterLimits;

/** Compiles content filters for subscriptions, queries and deletes. */
final class Filters {
    private Filters() {}

    /**
     * Compiles {@code text} once; the result is evaluated against each message's bytes.
     *
     * @throws dev.farad.filter.FilterSyntaxException naming the position and what was expected
     */
    static MessageFilter compile(String text, FilterLimits limits) {
        Filter filter = Filter.compile(text, limits);
        return filter::matches;
    }
}
