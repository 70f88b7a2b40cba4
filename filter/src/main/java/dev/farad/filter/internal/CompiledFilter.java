package dev.farad.filter.internal;

import dev.farad.filter.FilterLimits;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A parsed filter ready to evaluate: the evaluator tree, the trie of the paths it reads and a
 * per-thread {@link EvalContext}.
 *
 * <p>Immutable and thread-safe; each thread evaluates with its own context.
 */
public final class CompiledFilter {

    private final Expr tree;
    private final PathNode paths;
    private final Set<String> pathTexts;
    private final ThreadLocal<EvalContext> contexts;
    /**
     * The context of the thread that evaluated last, which is usually the next caller as well
     * (one engine thread evaluates each filter): checking its owner is cheaper than the thread
     * local's lookup. Written without synchronisation: a thread that reads another thread's
     * context sees its final {@link EvalContext#owner} and falls back to the thread local. Keeps
     * at most one context alive after its thread ends, until the next evaluation replaces it.
     */
    private EvalContext last;

    CompiledFilter(Expr tree, PathNode paths, Set<String> pathTexts, int registers) {
        this.tree = tree;
        this.paths = paths;
        this.pathTexts = Collections.unmodifiableSet(new LinkedHashSet<>(pathTexts));
        int slots = pathTexts.size();
        this.contexts = ThreadLocal.withInitial(() -> new EvalContext(slots, registers));
    }

    /**
     * Compiles {@code expression}.
     *
     * @throws dev.farad.filter.FilterSyntaxException if it is not a valid filter within {@code limits}
     */
    public static CompiledFilter compile(String expression, FilterLimits limits) {
        return Parser.compile(expression, limits);
    }

    /** Returns the canonical text of each path the filter reads, in order of first use. */
    public Set<String> paths() {
        return pathTexts;
    }

    /** Returns true if {@code json[offset, offset + length)} is a JSON object for which the filter is TRUE. */
    public boolean matches(byte[] json, int offset, int length) {
        EvalContext c = last;
        if (c == null || c.owner != Thread.currentThread()) {
            c = contexts.get();
            last = c;
        }
        try {
            return c.scan(json, offset, length, paths) && tree.test(c) == Tri.TRUE;
        } finally {
            c.release();
        }
    }
}
