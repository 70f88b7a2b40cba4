package dev.farad.filter.internal;

import java.nio.charset.StandardCharsets;
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

        /**
         * The UTF-8 of the scalar values at the paths, in path order, each followed by
         * {@code separator} but the last: one array, built from the message's own bytes (a
         * string's content is decoded only when it has escapes). Returns null when a value is
         * missing or the message is not a valid JSON object.
         */
        public byte[] joinedUtf8(byte[] json, int offset, int length, byte separator) {
            EvalContext c = contexts.get();
            try {
                if (!c.scan(json, offset, length, root)) {
                    return null;
                }
                int total = slotOf.length - 1;
                byte[][] decoded = null; // the rare values with escapes, decoded once
                for (int i = 0; i < slotOf.length; i++) {
                    int slot = slotOf[i];
                    if (!isScalar(c, slot)) {
                        return null;
                    }
                    if (c.kind(slot, 0) == JsonScanner.ESCAPED_STRING) {
                        decoded = decoded != null ? decoded : new byte[slotOf.length][];
                        decoded[i] = c.decodedString(slot, 0).getBytes(StandardCharsets.UTF_8);
                        total += decoded[i].length;
                    } else {
                        total += c.end(slot, 0) - c.start(slot, 0);
                    }
                }
                byte[] out = new byte[total];
                int at = 0;
                for (int i = 0; i < slotOf.length; i++) {
                    if (i > 0) {
                        out[at++] = separator;
                    }
                    int slot = slotOf[i];
                    if (decoded != null && decoded[i] != null) {
                        System.arraycopy(decoded[i], 0, out, at, decoded[i].length);
                        at += decoded[i].length;
                    } else {
                        int start = c.start(slot, 0);
                        int n = c.end(slot, 0) - start;
                        System.arraycopy(c.buf(), start, out, at, n);
                        at += n;
                    }
                }
                return out;
            } finally {
                c.release();
            }
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

    private static boolean isScalar(EvalContext c, int slot) {
        return c.count(slot) == 1 && !c.isNonScalar(slot) && c.kind(slot, 0) != JsonScanner.NULL;
    }

    private static String scalar(EvalContext c, int slot) {
        if (!isScalar(c, slot)) {
            return null;
        }
        return switch (c.kind(slot, 0)) {
            case JsonScanner.STRING, JsonScanner.NUMBER, JsonScanner.TRUE, JsonScanner.FALSE -> c.rawText(slot, 0);
            case JsonScanner.ESCAPED_STRING -> c.decodedString(slot, 0);
            default -> null;
        };
    }
}
