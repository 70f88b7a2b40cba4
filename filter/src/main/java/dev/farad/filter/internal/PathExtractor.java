package dev.farad.filter.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The implementation of {@link dev.farad.filter.JsonPaths#extract}. Stateless and thread-safe. */
public final class PathExtractor {

    private PathExtractor() {
    }

    /**
     * Extracts the scalar values at {@code paths} from {@code json[offset, offset + length)}.
     *
     * @throws dev.farad.filter.FilterSyntaxException if a path is not valid path syntax
     */
    public static List<String> extract(byte[] json, int offset, int length, List<String> paths) {
        return new PathExtractor.Compiled(paths).extract(json, offset, length);
    }

    /**
     * Paths parsed once into a trie, for callers that extract the same paths from many messages
     * (the broker's SOW keys): each call then costs one scan and the value strings, nothing more.
     * Thread-safe: each thread gets its own scan context.
     */
    public static final class Compiled {
        private final PathNode root = new PathNode();
        private final int[] slotOf;
        private final ThreadLocal<EvalContext> contexts;

        /** @throws dev.farad.filter.FilterSyntaxException if a path is not valid path syntax */
        public Compiled(List<String> paths) {
            Map<String, Integer> slotByPath = new HashMap<>();
            slotOf = new int[paths.size()];
            for (int i = 0; i < slotOf.length; i++) {
                PathSpec spec = Parser.path(paths.get(i));
                slotOf[i] = slotByPath.computeIfAbsent(spec.text(), k -> root.add(spec, slotByPath.size()));
            }
            int slots = slotByPath.size();
            contexts = ThreadLocal.withInitial(() -> new EvalContext(slots, 0));
        }

        /** The scalar values at the paths, in path order; see {@link PathExtractor#extract}. */
        public List<String> extract(byte[] json, int offset, int length) {
            EvalContext c = contexts.get();
            try {
                boolean valid = c.scan(json, offset, length, root);
                List<String> values = new ArrayList<>(slotOf.length);
                for (int slot : slotOf) {
                    values.add(valid ? scalar(c, slot) : null);
                }
                return values;
            } finally {
                c.release();
            }
        }
    }

    private static String scalar(EvalContext c, int slot) {
        if (c.count(slot) != 1 || c.isNonScalar(slot)) {
            return null;
        }
        return switch (c.kind(slot, 0)) {
            case JsonScanner.STRING, JsonScanner.NUMBER, JsonScanner.TRUE, JsonScanner.FALSE -> c.rawText(slot, 0);
            case JsonScanner.ESCAPED_STRING -> c.decodedString(slot, 0);
            default -> null;
        };
    }
}
