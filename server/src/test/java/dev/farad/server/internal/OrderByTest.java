package dev.farad.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OrderByTest {
    // The messages hold quotes and '|', so the rows use '"' for quoting and ';' between columns.
    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "/px sideways;    expected ASC or DESC but found 'sideways'",
        "/px DESC LIMIT;  expected '/field [ASC|DESC]' but found '/px DESC LIMIT'",
        "px ASC;          expected '/field [ASC|DESC]' but found 'px ASC'",
        "DESC;            expected '/field [ASC|DESC]' but found 'DESC'",
        "\"\";            expected '/field [ASC|DESC]' but found ''",
        "/a,,/b;          expected '/field [ASC|DESC]' but found ''",
        "\", /a\";        expected '/field [ASC|DESC]' but found ''",
        "/a DESC,;        expected '/field [ASC|DESC]' but found ''",
    })
    void shouldRefuseSpecNamingTheBadTerm(String spec, String message) {
        assertThatThrownBy(() -> OrderBy.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    private static Object[] keys(OrderBy o, String json) {
        return o.keysOf(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldAcceptLowerCaseDirectionsAndSpacesAroundTerms() {
        OrderBy o = OrderBy.parse("  /book asc ,/px   desc ");
        Object[] a5 = keys(o, "{\"book\":\"a\",\"px\":5}");
        Object[] a10 = keys(o, "{\"book\":\"a\",\"px\":10}");
        Object[] b1 = keys(o, "{\"book\":\"b\",\"px\":1}");
        assertThat(o.comparator().compare(a10, a5)).isNegative();
        assertThat(o.comparator().compare(a5, b1)).isNegative();
    }

    @Test
    void shouldSortAStringThatReadsAsANumberAsThatNumberAndOtherTextAfterNumbers() {
        // As in filters, a string converts to a number when it can (AMPS-NOTES 4.2).
        OrderBy o = OrderBy.parse("/px");
        Object[] text9 = keys(o, "{\"px\":\"9\"}");
        Object[] number10 = keys(o, "{\"px\":10}");
        Object[] text10 = keys(o, "{\"px\":\"10\"}");
        Object[] word = keys(o, "{\"px\":\"abc\"}");
        assertThat(o.comparator().compare(text9, number10)).as("'9' before 10, not after it as text").isNegative();
        assertThat(o.comparator().compare(text10, number10)).isZero();
        assertThat(o.comparator().compare(number10, word)).isNegative();
    }
}
