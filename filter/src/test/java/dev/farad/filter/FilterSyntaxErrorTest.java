package dev.farad.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid filters: where the error is reported and what was expected there. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterSyntaxErrorTest {

    private static final String OPERAND = "an operand (field path, literal, function call or '(')";

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                        | 0  | OPERAND
            `   `                     | 3  | OPERAND
            /a =                      | 4  | OPERAND
            /a = 1 AND                | 10 | OPERAND
            /a = 1 OR                 | 9  | OPERAND
            NOT                       | 3  | OPERAND
            (/a = 1                   | 7  | ')'
            ((/a = 1)                 | 9  | ')'
            /a = 1)                   | 6  | AND, OR or end of input
            (/a = 1))                 | 8  | AND, OR or end of input
            /a = 1 AND AND /b = 2     | 11 | OPERAND
            /a == == 1                | 6  | OPERAND
            /a ! 1                    | 3  | '!='
            /a = 'abc                 | 5  | closing '
            /a = "abc                 | 5  | closing "
            /a = r'abc                | 5  | closing '
            /a = 'a\\qb'              | 7  | an escape sequence (\\n \\t \\r \\b \\f \\\\ \\' \\" \\xHH \\OOO)
            /a = 'a\\x4'              | 7  | two hex digits after \\x
            /a = 'a\\                 | 7  | an escape sequence
            /                         | 1  | a field name after '/'
            / = 1                     | 1  | a field name after '/'
            /a[ = 1                   | 2  | an array index like [0]
            /a[x] = 1                 | 2  | an array index like [0]
            /a[1 = 1                  | 2  | an array index like [0]
            /a[] = 1                  | 2  | an array index like [0]
            /a[99999999999] = 1       | 2  | an array index like [0]
            [a] = 1                   | 0  | a field path like [/a b/c]
            [/a = 1                   | 0  | a field path like [/a b/c]
            [/] = 1                   | 2  | a field name after '/'
            [/a//b] = 1               | 4  | a field name after '/'
            /a [0] = 1                | 3  | a field path like [/a b/c]
            /a = 1 #                  | 7  | an operator, literal, field path or keyword
            /a = @                    | 5  | an operator, literal, field path or keyword
            /a = 1 ; /b = 2           | 7  | an operator, literal, field path or keyword
            /a = foo                  | 5  | OPERAND
            /dash-name = 5            | 6  | OPERAND
            foo(1)                    | 0  | a function (UPPER, LOWER, LENGTH, SUBSTR, CONCAT, COALESCE, ABS, IF)
            UPPER /a                  | 6  | '(' after UPPER
            UPPER()                   | 0  | UPPER with 1 argument
            UPPER(1, 2)               | 0  | UPPER with 1 argument
            SUBSTR('a')               | 0  | SUBSTR with 2 to 3 arguments
            SUBSTR('a', 1, 2, 3)      | 0  | SUBSTR with 2 to 3 arguments
            IF(1, 2)                  | 0  | IF with 3 arguments
            CONCAT()                  | 0  | CONCAT with at least 1 argument
            COALESCE()                | 0  | COALESCE with at least 1 argument
            /a = ABS(1, 2)            | 5  | ABS with 1 argument
            UPPER(1                   | 7  | ',' or ')'
            /a BETWEEN 1              | 12 | AND
            /a BETWEEN 1 OR 2         | 13 | AND
            /a IN 1                   | 6  | '('
            /a IN ()                  | 7  | OPERAND
            /a IN (1, 2               | 11 | ',' or ')'
            /a IN (1 2)               | 9  | ',' or ')'
            /a LIKE /b                | 8  | a string literal with a regular expression
            /a LIKE 'a('              | 8  | a valid regular expression (missing closing ))
            /a LIKE '[z-a]'           | 8  | a valid regular expression (invalid character class range)
            /a LIKE 'x{2000}'         | 8  | a valid regular expression (invalid repeat count)
            /a LIKE '*'               | 8  | a valid regular expression (missing argument to repetition operator)
            /a NOT 1                  | 7  | BETWEEN, IN, LIKE, BEGINS WITH or ENDS WITH
            /a NOT = 1                | 7  | BETWEEN, IN, LIKE, BEGINS WITH or ENDS WITH
            /a IS 1                   | 6  | NULL
            /a IS NOT 1               | 10 | NULL
            /a BEGINS ('x')           | 10 | WITH
            /a BEGINS WITH 'x'        | 15 | '('
            /a ENDS WITH ()           | 14 | OPERAND
            /a > 100 = TRUE           | 9  | AND, OR or end of input
            /a = 1 = 1                | 7  | AND, OR or end of input
            /a = -                    | 6  | OPERAND
            1 2                       | 2  | AND, OR or end of input
            AND                       | 0  | OPERAND
            OR /a = 1                 | 0  | OPERAND
            )                         | 0  | OPERAND
            /a = 1,                   | 6  | AND, OR or end of input
            /a = 1 /b = 2             | 8  | OPERAND
            """)
    void shouldReportPositionAndExpectation(String expression, int position, String expected) {
        String want = expected.equals("OPERAND") ? OPERAND : expected;
        assertThatThrownBy(() -> Filter.compile(expression))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.expected()).isEqualTo(want);
                    assertThat(e.getMessage()).startsWith("bad filter at position " + position + ": expected " + want
                            + " but found ");
                });
    }

    @Test
    void shouldNameWhatWasFoundInTheMessage() {
        assertThatThrownBy(() -> Filter.compile("(/qty > 1 AND /a = 2"))
                .hasMessage("bad filter at position 20: expected ')' but found end of input");
        assertThatThrownBy(() -> Filter.compile("/qty IN (1 AND 2"))
                .hasMessage("bad filter at position 16: expected ',' or ')' but found end of input");
        assertThatThrownBy(() -> Filter.compile("(/a = 1 /b = 2)"))
                .hasMessage("bad filter at position 9: expected " + OPERAND + " but found 'b'");
        assertThatThrownBy(() -> Filter.compile("/a BETWEEN 1 OR 2"))
                .hasMessage("bad filter at position 13: expected AND but found 'OR'");
        assertThatThrownBy(() -> Filter.compile("/a BETWEEN 1 OR 2"))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> assertThat(e.detail())
                        .as("the message without 'bad filter', for the broker's reason")
                        .isEqualTo("at position 13: expected AND but found 'OR'"));
    }

    @Test
    void shouldShortenLongTokensInTheMessage() {
        String longName = "/" + "x".repeat(200);
        assertThatThrownBy(() -> Filter.compile(longName + " " + longName))
                .isInstanceOf(FilterSyntaxException.class)
                .hasMessageEndingWith("...")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(150));
    }

    @Test
    void shouldKeepTheRegexEngineErrorAsCause() {
        assertThatThrownBy(() -> Filter.compile("/a LIKE '('"))
                .isInstanceOf(FilterSyntaxException.class)
                .hasCauseInstanceOf(com.google.re2j.PatternSyntaxException.class);
    }

    @Test
    void shouldBeAnIllegalArgumentException() {
        assertThatThrownBy(() -> Filter.compile("/a ="))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRejectNullArguments() {
        assertThatThrownBy(() -> Filter.compile(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("expression");
        assertThatThrownBy(() -> Filter.compile("/a = 1", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("limits");
    }
}
