package dev.farad.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scanner against a slow reference written independently of it: a recursive descent over
 * characters that carries the list of paths each value sits at, instead of a trie. Both must agree
 * on validity and, for valid documents, on the kind and text of every value collected and on which
 * paths hold containers. Random documents, their truncations and single-byte mutations probe the
 * validation the scanner does for skipped values as much as for wanted ones.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonScannerTest {

    private static final List<String> PATHS = List.of("/a", "/b", "/a/b", "/a[0]", "/a[1]/b", "/c/a", "/a[0][1]", "/ab");

    @Test
    void shouldAgreeWithTheReferenceOnRandomDocumentsAndTheirMutations() {
        Random random = new Random(20261124L);
        byte[] noise = "{}[]:,\"\\ \t\n0123456789-+.eEtrufalsnu/abx\u0001\u00e9".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder();
            object(random, sb, 0);
            byte[] doc = (space(random) + sb + space(random)).getBytes(StandardCharsets.UTF_8);
            List<String> paths = somePaths(random);
            assertAgrees(doc, paths);
            assertAgrees(Arrays.copyOf(doc, random.nextInt(doc.length)), paths);
            for (int m = 0; m < 8; m++) {
                byte[] copy = doc.clone();
                copy[random.nextInt(copy.length)] = noise[random.nextInt(noise.length)];
                assertAgrees(copy, paths);
            }
        }
    }

    @Test
    void shouldFindEverySpecialByteInStringsOfEveryLength() {
        // Strings long enough to go through the word-at-a-time loop, with the byte that ends or
        // breaks them at every offset, so that each lane of an 8-byte word and each tail is hit.
        String[] specials = {"\"", "\\\"", "\\\\", "\\n", "\\u00e9", "\\x", "\\u00g1", "\u0001", "\u001f", "\u00e9", "\u007f"};
        for (int length = 0; length < 40; length++) {
            for (int at = 0; at <= length; at++) {
                for (String special : specials) {
                    String text = "k".repeat(at) + special + "v".repeat(length - at);
                    for (String doc : new String[] {
                        "{\"a\":\"" + text + "\"}",
                        "{\"b\":\"" + text + "\",\"a\":1}",
                        "{\"" + text + "\":1,\"a\":2}",
                        "{\"x\":[\"" + text + "\"],\"a\":3}",
                    }) {
                        assertAgrees(doc.getBytes(StandardCharsets.UTF_8), PATHS);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"a":1,"b":{"c":[1,2,{"d":}]}}
            {"a":1,"b":[tru]}
            {"a":1,"b":[true,nul]}
            {"a":1,"b":{"c":fals}}
            {"a":1,"b":[1,]}
            {"a":1,"b":{"c":1,}}
            {"a":1,"b":{"c" 1}}
            {"a":1,"b":{1:1}}
            {"a":1,"b":[01]}
            {"a":1,"b":[1.]}
            {"a":1,"b":[1e+]}
            {"a":1,"b":[-]}
            {"a":1,"b":["x\\q"]}
            {"a":1,"b":["\\u12"]}
            {"a":1,"b":[}
            {"a":1,"b":{]}
            {"a":1,"b":[[[]]}
            {"a":1,"b":[[]]]}
            {"a":1,"b":"x
            {"a":1,"b":[1 2]}
            {"a":1,"b":{"c":1 "d":2}}
            {"a":1,"b":1}}
            {"a":1}[]
            {"a":1,"b":[truefalse]}
            {"a":1,"b":[nulll]}
            """)
    void shouldRejectDocumentsThatAreBrokenOnlyWhereNoPathLooks(String doc) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        assertThat(scan(bytes, List.of("/a")).valid).isFalse();
        assertAgrees(bytes, List.of("/a"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"a\\u0062":1,"ab":2}
            {"\\u0061":{"b":[3,{"b":4}]}}
            {"a":[[1,2],[3,[4,5]]],"a":[6]}
            {"a":{"b":1},"a":{"b":2},"c":{"a":null}}
            { "a" : [ { "b" : "x" } , { "b" : true } ] , "b" : -0.5e-3 }
            {"a":"0123456789abcdef0123456789\\"x","b":"\\\\"}
            """)
    void shouldCollectTheSameValuesAsTheReference(String doc) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        assertThat(scan(bytes, PATHS).valid).isTrue();
        assertAgrees(bytes, PATHS);
    }

    private static void assertAgrees(byte[] doc, List<String> paths) {
        Result expected = new Reference(doc, paths).run();
        Result actual = scan(doc, paths);
        String what = new String(doc, StandardCharsets.UTF_8) + " with " + paths;
        assertThat(actual.valid).as("valid: %s", what).isEqualTo(expected.valid);
        if (expected.valid) {
            assertThat(actual.values).as("values: %s", what).isEqualTo(expected.values);
            assertThat(actual.containers).as("containers: %s", what).isEqualTo(expected.containers);
        }
    }

    /** The scanner's view: per path, the sorted "kind:text" of its values, and whether a container sits there. */
    private static Result scan(byte[] doc, List<String> paths) {
        PathNode root = new PathNode();
        for (int slot = 0; slot < paths.size(); slot++) {
            root.add(Parser.path(paths.get(slot)), slot);
        }
        EvalContext c = new EvalContext(paths.size(), 0);
        Result r = new Result(c.scan(doc, 0, doc.length, root));
        for (int slot = 0; slot < paths.size(); slot++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < c.count(slot); i++) {
                values.add(c.kind(slot, i) + ":" + c.rawText(slot, i));
            }
            values.sort(null);
            r.values.put(paths.get(slot), values);
            r.containers.put(paths.get(slot), c.isNonScalar(slot));
        }
        c.release();
        return r;
    }

    private static final class Result {
        final boolean valid;
        final Map<String, List<String>> values = new HashMap<>();
        final Map<String, Boolean> containers = new HashMap<>();

        Result(boolean valid) {
            this.valid = valid;
        }
    }

    /**
     * The reference. A value's paths are a list (not a set: the scanner reaches {@code /a[0]} of
     * {@code [[x]]} twice, once as element 0 of {@code /a} and once through the nested array); an
     * array at path P gives each element i both P and P[i]; a key k extends each path by /k.
     * Paths are the filter syntax, so only plain keys are compared, which is what the tests use.
     */
    private static final class Reference {
        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

        private final String text;
        private final byte[] bytes;
        private final List<String> wanted;
        private final Result result = new Result(true);
        private int pos;
        private int[] byteAt;

        Reference(byte[] doc, List<String> wanted) {
            // ISO-8859-1 keeps one char per byte, so char positions are byte positions.
            this.text = new String(doc, StandardCharsets.ISO_8859_1);
            this.bytes = doc;
            this.wanted = wanted;
            for (String path : wanted) {
                result.values.put(path, new ArrayList<>());
                result.containers.put(path, false);
            }
        }

        Result run() {
            try {
                ws();
                if (text.charAt(pos) != '{') {
                    throw new IllegalArgumentException("not an object");
                }
                value(List.of(""), 0);
                ws();
                if (pos != text.length()) {
                    throw new IllegalArgumentException("trailing");
                }
                result.values.values().forEach(v -> v.sort(null));
                return result;
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                return new Result(false);
            }
        }

        private void value(List<String> paths, int depth) {
            char c = text.charAt(pos);
            if (c == '{' || c == '[') {
                if (depth + 1 > JsonScanner.MAX_DEPTH) {
                    throw new IllegalArgumentException("deep");
                }
                for (String path : paths) {
                    if (result.containers.containsKey(path)) {
                        result.containers.put(path, true);
                    }
                }
                if (c == '{') {
                    object(paths, depth + 1);
                } else {
                    array(paths, depth + 1);
                }
                return;
            }
            int start = pos;
            byte kind;
            if (c == '"') {
                boolean escaped = string();
                record(paths, escaped ? JsonScanner.ESCAPED_STRING : JsonScanner.STRING, start + 1, pos - 1);
                return;
            } else if (text.startsWith("true", pos)) {
                kind = JsonScanner.TRUE;
                pos += 4;
            } else if (text.startsWith("false", pos)) {
                kind = JsonScanner.FALSE;
                pos += 5;
            } else if (text.startsWith("null", pos)) {
                kind = JsonScanner.NULL;
                pos += 4;
            } else {
                var m = NUMBER.matcher(text).region(pos, text.length());
                if (!m.lookingAt()) {
                    throw new IllegalArgumentException("value");
                }
                kind = JsonScanner.NUMBER;
                pos = m.end();
            }
            record(paths, kind, start, pos);
        }

        private void object(List<String> paths, int depth) {
            if (empty('{', '}')) {
                return;
            }
            while (true) {
                int start = pos + 1;
                boolean escaped = string();
                String key = escaped
                        ? JsonStrings.unescape(bytes, start, pos - 1)
                        : new String(bytes, start, pos - 1 - start, StandardCharsets.UTF_8);
                List<String> inner = new ArrayList<>();
                for (String path : paths) {
                    inner.add(path + "/" + key);
                }
                ws();
                expect(':');
                ws();
                value(relevant(inner), depth);
                if (last('}')) {
                    return;
                }
            }
        }

        private void array(List<String> paths, int depth) {
            if (empty('[', ']')) {
                return;
            }
            for (int i = 0; ; i++) {
                List<String> inner = new ArrayList<>();
                for (String path : paths) {
                    inner.add(path);
                    inner.add(path + "[" + i + "]");
                }
                value(relevant(inner), depth);
                if (last(']')) {
                    return;
                }
            }
        }

        /** Consumes the opening bracket and whitespace; returns whether the closing one follows at once (and consumes it). */
        private boolean empty(char open, char close) {
            expect(open);
            ws();
            return text.charAt(pos) == close && ++pos > 0;
        }

        /** After a member or element: consumes the comma before the next one, or the closing bracket and returns true. */
        private boolean last(char close) {
            ws();
            if (text.charAt(pos) == close) {
                pos++;
                return true;
            }
            expect(',');
            ws();
            return false;
        }

        /** Consumes a string at pos; returns whether it had escapes. */
        private boolean string() {
            expect('"');
            boolean escaped = false;
            while (true) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return escaped;
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control");
                }
                if (c == '\\') {
                    escaped = true;
                    char e = text.charAt(pos++);
                    if (e == 'u') {
                        if (!text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                            throw new IllegalArgumentException("\\u");
                        }
                        pos += 4;
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        throw new IllegalArgumentException("escape");
                    }
                }
            }
        }

        /** Drops the paths that lead to no wanted path, as the trie does. */
        private List<String> relevant(List<String> paths) {
            List<String> kept = new ArrayList<>();
            for (String path : paths) {
                for (String w : wanted) {
                    if (w.equals(path) || w.startsWith(path + "/") || w.startsWith(path + "[")) {
                        kept.add(path);
                        break;
                    }
                }
            }
            return kept;
        }

        private void record(List<String> paths, byte kind, int start, int end) {
            for (String path : paths) {
                List<String> values = result.values.get(path);
                if (values != null) {
                    values.add(kind + ":" + new String(bytes, start, end - start, StandardCharsets.UTF_8));
                }
            }
        }

        private void ws() {
            while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private void expect(char c) {
            if (text.charAt(pos) != c) {
                throw new IllegalArgumentException("expected " + c);
            }
            pos++;
        }
    }

    private static List<String> somePaths(Random random) {
        List<String> paths = new ArrayList<>();
        for (String path : PATHS) {
            if (random.nextInt(3) > 0) {
                paths.add(path);
            }
        }
        return paths;
    }

    private static String space(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n\t ";
            default -> "";
        };
    }

    private static void object(Random random, StringBuilder sb, int depth) {
        sb.append('{').append(space(random));
        int n = random.nextInt(depth == 0 ? 6 : 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',').append(space(random));
            }
            String[] keys = {"a", "b", "c", "ab", "a\\u0062", "\\u0061", "long-key-of-many-bytes", "x"};
            sb.append('"').append(keys[random.nextInt(keys.length)]).append('"').append(space(random)).append(':');
            sb.append(space(random));
            value(random, sb, depth + 1);
            sb.append(space(random));
        }
        sb.append('}');
    }

    private static void value(Random random, StringBuilder sb, int depth) {
        int choice = random.nextInt(depth > 4 ? 6 : 9);
        switch (choice) {
            case 0 -> sb.append('"').append(stringContent(random)).append('"');
            case 1 -> sb.append(new String[] {"0", "-1", "250", "101.25", "1e3", "-2.5E-7", "9223372036854775808", "0.5"}[random.nextInt(8)]);
            case 2 -> sb.append(new String[] {"true", "false", "null"}[random.nextInt(3)]);
            case 3, 4, 5 -> sb.append('"').append("v".repeat(random.nextInt(30))).append('"');
            case 6, 7 -> {
                sb.append('[').append(space(random));
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',').append(space(random));
                    }
                    value(random, sb, depth + 1);
                }
                sb.append(']');
            }
            default -> object(random, sb, depth);
        }
    }

    private static String stringContent(Random random) {
        String[] parts = {"x", "0123456789", "\\\"", "\\\\", "\\n", "\\u00e9", "\u00e9", "\ud83d\ude00", " ", "/", "\\/"};
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            sb.append(parts[random.nextInt(parts.length)]);
        }
        return sb.toString();
    }
}
