package dev.farad.filter;

import dev.farad.filter.internal.PathExtractor;
import java.util.List;
import java.util.Objects;

/**
 * Reads scalar field values out of a JSON message with the same streaming scanner that filters
 * use, for example to build SOW keys from key fields.
 *
 * <p>{@code
 * List<String> key = JsonPaths.extract(json, List.of("/order/id", "/region")); // ["17", "eu"]
 * }
 *
 * <p>Thread-safe (stateless).
 */
public final class JsonPaths {

    private JsonPaths() {
    }

    /**
     * Returns, for each of {@code paths}, the scalar value at that path: a string's decoded
     * content, a number's JSON text, or {@code "true"}/{@code "false"}. An element is null when
     * the path is absent, holds {@code null}, an object or an array, or occurs more than once; all
     * elements are null when {@code json} is not a valid JSON object. The caller keeps ownership
     * of {@code json}, which is not retained.
     *
     * @param json  the UTF-8 message
     * @param paths field paths in filter syntax, such as {@code /a/b} or {@code /a[0]}
     * @return a new modifiable list with one element per path, in the same order
     * @throws FilterSyntaxException if a path is not valid path syntax
     * @throws NullPointerException  if an argument or a path is null
     */
    public static List<String> extract(byte[] json, List<String> paths) {
        return extract(json, 0, json.length, paths);
    }

    /**
     * Like {@link #extract(byte[], List)} for the message in {@code json[offset, offset + length)}.
     *
     * @param json   the buffer holding the UTF-8 message
     * @param offset index of the message's first byte in {@code json}
     * @param length number of bytes of the message
     * @param paths  field paths in filter syntax
     * @return a new modifiable list with one element per path, in the same order
     * @throws FilterSyntaxException     if a path is not valid path syntax
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    public static List<String> extract(byte[] json, int offset, int length, List<String> paths) {
        Objects.checkFromIndexSize(offset, length, json.length);
        Objects.requireNonNull(paths, "paths");
        return PathExtractor.extract(json, offset, length, paths);
    }

    /**
     * Parses {@code paths} once, for extracting the same paths from many messages without
     * re-parsing them: {@code JsonPaths.compile(List.of("/region", "/id")).extract(json, 0, n)}.
     *
     * @throws FilterSyntaxException if a path is not valid path syntax
     * @throws NullPointerException  if the list or a path is null
     */
    public static Compiled compile(List<String> paths) {
        return new Compiled(new PathExtractor.Compiled(Objects.requireNonNull(paths, "paths")));
    }

    /**
     * Compiled paths: see {@link #compile}. Immutable and thread-safe; each thread reuses its own
     * scan state, so extraction allocates only the returned list and its strings.
     */
    public static final class Compiled {
        private final PathExtractor.Compiled compiled;

        private Compiled(PathExtractor.Compiled compiled) {
            this.compiled = compiled;
        }

        /**
         * Like {@link JsonPaths#extract(byte[], int, int, List)} for the compiled paths.
         *
         * @throws IndexOutOfBoundsException if the range is outside the array
         */
        public List<String> extract(byte[] json, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, json.length);
            return compiled.extract(json, offset, length);
        }

        /**
         * The UTF-8 of the values {@link #extract} would return, in path order, with
         * {@code separator} between them, in one new array copied from the message's own bytes:
         * the cheap way to build a key from key fields. A string's content is decoded when it has
         * escapes and otherwise kept byte for byte.
         *
         * @return the joined values, or null if any of them would be null in {@link #extract}
         * @throws IndexOutOfBoundsException if the range is outside the array
         */
        public byte[] joinedUtf8(byte[] json, int offset, int length, byte separator) {
            Objects.checkFromIndexSize(offset, length, json.length);
            return compiled.joinedUtf8(json, offset, length, separator);
        }
    }
}
