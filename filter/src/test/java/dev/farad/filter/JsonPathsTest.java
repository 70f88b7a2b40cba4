package dev.farad.filter;

import static dev.farad.filter.FilterFixtures.DOC;
import static dev.farad.filter.FilterFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonPathsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "<null>", textBlock = """
            /region          | eu
            /qty             | 150
            /px              | 99.5
            /neg             | -7
            /e               | 1e3
            /big             | 9223372036854775807
            /t               | true
            /f               | false
            /nul             | <null>
            /missing         | <null>
            /empty           | ``
            /order/id        | 17
            /order/side      | buy
            /order           | <null>
            /tags            | <null>
            /none            | <null>
            /nums[1]         | 5
            /tags[2]         | blue
            /tags[3]         | <null>
            /order/legs[1]/q | 20
            /order/legs/q    | <null>
            /utf             | café
            /uni             | café
            /numstr          | 42
            """)
    void shouldExtractScalarValues(String path, String expected) {
        assertThat(JsonPaths.extract(utf8(DOC), List.of(path))).containsExactly(expected);
    }

    @Test
    void shouldAcceptBracketedPaths() {
        assertThat(JsonPaths.extract(utf8("{\"order-id\":\"A-1\",\"a b\":{\"c\":[7,8]}}"), List.of("[/order-id]", "[/a b/c][1]")))
                .containsExactly("A-1", "8");
    }

    @Test
    void shouldExtractFromARangeOfABuffer() {
        byte[] buffer = utf8("xx{\"k\":1}{\"k\":2}yy");
        assertThat(JsonPaths.extract(buffer, 9, 7, List.of("/k"))).containsExactly("2");
        assertThat(JsonPaths.extract(buffer, 2, 8, List.of("/k"))).containsExactly((String) null);
        assertThatThrownBy(() -> JsonPaths.extract(buffer, 10, 100, List.of("/k")))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldDecodeEscapes() {
        assertThat(JsonPaths.extract(utf8(DOC), List.of("/esc"))).containsExactly("a\"b\\c\nd");
    }

    @Test
    void shouldExtractSeveralPathsInOrder() {
        assertThat(JsonPaths.extract(utf8(DOC), List.of("/qty", "/region", "/missing", "/qty")))
                .containsExactly("150", "eu", null, "150");
    }

    @Test
    void shouldTreatRepeatedKeysAsNotScalar() {
        assertThat(JsonPaths.extract(utf8("{\"a\":1,\"a\":2,\"b\":3}"), List.of("/a", "/b"))).containsExactly(null, "3");
    }

    @Test
    void shouldReturnNullsForInvalidJson() {
        assertThat(JsonPaths.extract(utf8("{\"a\":1"), List.of("/a", "/b"))).containsExactly(null, null);
        assertThat(JsonPaths.extract(utf8("[1]"), List.of("/a"))).containsExactly((String) null);
        assertThat(JsonPaths.extract(new byte[0], List.of())).isEmpty();
    }

    @Test
    void shouldRejectInvalidPaths() {
        byte[] doc = utf8(DOC);
        assertThatThrownBy(() -> JsonPaths.extract(doc, List.of("a")))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> assertThat(e.expected()).isEqualTo("a field path like /a/b"));
        assertThatThrownBy(() -> JsonPaths.extract(doc, List.of("/a = 1")))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> assertThat(e.position()).isEqualTo(3));
        assertThatThrownBy(() -> JsonPaths.extract(doc, List.of("/a[")))
                .isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> JsonPaths.extract(doc, Arrays.asList((String) null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldReturnAModifiableListAndNotKeepTheMessage() {
        byte[] doc = utf8("{\"k\":\"v\"}");
        List<String> values = JsonPaths.extract(doc, List.of("/k"));
        doc[6] = 'w';
        values.add("more");
        assertThat(values).containsExactly("v", "more");
    }

    /** {@code joinedUtf8} gives the UTF-8 of what {@code extract} gives, joined, or null when extract has a null. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "<null>", textBlock = """
            /region                | eu
            /region,/qty           | eu;150
            /order/id,/region,/t   | 17;eu;true
            /empty                 | ``
            /empty,/qty            | `;150`
            /missing               | <null>
            /region,/missing       | <null>
            /nul                   | <null>
            /order                 | <null>
            /tags                  | <null>
            """)
    void shouldJoinTheSameValuesAsExtract(String paths, String expected) {
        List<String> list = List.of(paths.split(","));
        byte[] doc = utf8(DOC);
        byte[] joined = JsonPaths.compile(list).joinedUtf8(doc, 0, doc.length, (byte) ';');
        assertThat(joined == null ? null : new String(joined, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(expected);
        List<String> extracted = JsonPaths.extract(doc, list);
        assertThat(joined == null).isEqualTo(extracted.contains(null));
        if (joined != null) {
            assertThat(new String(joined, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(String.join(";", extracted));
        }
    }

    @Test
    void shouldJoinDecodedEscapesAndRawUtf8() {
        byte[] doc = utf8("{\"a\":\"x\\\"y\\u00e9\",\"b\":\"caf\u00e9\",\"c\":1}");
        JsonPaths.Compiled paths = JsonPaths.compile(List.of("/a", "/b", "/c"));
        assertThat(paths.joinedUtf8(doc, 0, doc.length, (byte) 0))
                .isEqualTo(utf8("x\"y\u00e9\u0000caf\u00e9\u00001"));
        assertThat(paths.joinedUtf8(utf8("{\"a\":"), 0, 5, (byte) 0)).isNull();
        assertThatThrownBy(() -> paths.joinedUtf8(doc, 1, doc.length, (byte) 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
