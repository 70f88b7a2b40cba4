/**
 * The content-filter language: compile a filter expression once with
 * {@link dev.farad.filter.Filter#compile(String)}, then test JSON messages with
 * {@link dev.farad.filter.Filter#matches(byte[])}.
 *
 * <p>The language is an XPath-like field syntax ({@code /order/qty}, {@code /legs[0]/px}) combined
 * with SQL-92 style predicates and three-valued logic; {@code docs/FILTER.md} holds the grammar.
 * {@link dev.farad.filter.JsonPaths} extracts scalar field values (for example SOW keys) with the
 * same streaming scanner.
 *
 * <p>All parameters and return values are non-null unless the Javadoc says otherwise. Compiled
 * filters are immutable and thread-safe.
 */
package dev.farad.filter;
