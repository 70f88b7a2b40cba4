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
        PathNode root = new PathNode();
        Map<String, Integer> slotByPath = new HashMap<>();
        int[] slotOf = new int[paths.size()];
        for (int i = 0; i < slotOf.length; i++) {
            PathSpec spec = Parser.path(paths.get(i));
            slotOf[i] = slotByPath.computeIfAbsent(spec.text(), k -> root.add(spec, slotByPath.size()));
        }
        EvalContext c = new EvalContext(slotByPath.size(), 0);
        boolean valid = c.scan(json, offset, length, root);
        List<String> values = new ArrayList<>(slotOf.length);
        for (int slot : slotOf) {
            values.add(valid ? scalar(c, slot) : null);
        }
        return values;
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
