/**
 * Machinery behind {@link dev.farad.filter.Filter}: the lexer and recursive-descent parser that
 * build a tree of evaluator nodes, the streaming JSON scanner that collects only the fields a
 * filter names, and the value and three-valued-logic rules of the language.
 *
 * <p>Not an API: anything here may change without notice. Compiled trees are immutable and shared
 * between threads; per-evaluation state lives in an {@link dev.farad.filter.internal.EvalContext}
 * confined to one thread.
 */
package dev.farad.filter.internal;
