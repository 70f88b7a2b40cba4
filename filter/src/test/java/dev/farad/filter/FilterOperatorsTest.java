package dev.farad.filter;

import static dev.farad.filter.FilterFixtures.DOC;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Operators, literals and coercion, each row evaluated against {@link FilterFixtures#DOC}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterOperatorsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /region = 'eu'                    | true
            /region == 'eu'                   | true
            /region = 'us'                    | false
            /region != 'us'                   | true
            /region <> 'us'                   | true
            /region != 'eu'                   | false
            /region <> 'eu'                   | false
            /region = 'EU'                    | false
            /region = "eu"                    | true
            /region < 'f'                     | true
            /region < 'eu'                    | false
            /region <= 'eu'                   | true
            /region > 'ea'                    | true
            /region >= 'eu'                   | true
            /region > 'eu'                    | false
            'eu' = /region                    | true
            /name = 'Widget'                  | true
            /name > 'Wid'                     | true
            /name < 'widget'                  | true
            /qty = 150                        | true
            /qty == 150                       | true
            /qty = 151                        | false
            /qty != 150                       | false
            /qty > 100                        | true
            /qty > 150                        | false
            /qty >= 150                       | true
            /qty < 150                        | false
            /qty <= 150                       | true
            /qty < 1000                       | true
            100 < /qty                        | true
            150 = /qty                        | true
            /qty = 150.0                      | true
            /qty > 149.99                     | true
            /qty < 150.01                     | true
            /px = 99.5                        | true
            /px > 99                          | true
            /px < 100                         | true
            /px >= 99.5                       | true
            /px != 99.5                       | false
            /neg = -7                         | true
            /neg < 0                          | true
            /neg > -8                         | true
            /zero = 0                         | true
            /zero = -0                        | true
            /zero = 0.0                       | true
            /big = 9223372036854775807        | true
            /big > 9223372036854775806        | true
            /e = 1000                         | true
            /e = 1e3                          | true
            /e > 999                          | true
            1 = 1                             | true
            1 = 2                             | false
            1 < 2                             | true
            2.5 > 2                           | true
            'a' < 'b'                         | true
            'b' < 'a'                         | false
            'abc' = 'abc'                     | true
            'abc' < 'abd'                     | true
            'ab' < 'abc'                      | true
            'Z' < 'a'                         | true
            'é' > 'z'                         | true
            /utf = 'café'                     | true
            /uni = 'café'                     | true
            /uni = /utf                       | true
            /t = TRUE                         | true
            /t = true                         | true
            /t = FALSE                        | false
            /f = FALSE                        | true
            /f != TRUE                        | true
            /t = 1                            | true
            /f = 0                            | true
            /t > /f                           | true
            /tstr = TRUE                      | true
            /tstr = 'true'                    | true
            /t = 'true'                       | true
            /t = 'TRUE'                       | false
            TRUE                              | true
            FALSE                             | false
            true                              | true
            /t                                | true
            /f                                | false
            /tstr                             | true
            /qty                              | true
            /zero                             | false
            /region                           | false
            NOT /region                       | false
            /sp = 'a b'                       | true
            """)
    void shouldCompareValues(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /numstr = 42                      | true
            /numstr = 42.0                    | true
            /numstr > 41                      | true
            /numstr < 43                      | true
            /numstr = '42'                    | true
            /numstr = '42.0'                  | false
            /numstr + 1 = 43                  | true
            /dstr = 2.5                       | true
            /dstr * 2 = 5                     | true
            /dstr > 2                         | true
            /word > 1000000                   | true
            /word < 1000000                   | false
            /word = 1                         | false
            /word != 1                        | true
            1000000 < /word                   | true
            /word >= -5.5                     | true
            'abc' > 99999999999               | true
            '10' < 9                          | false
            '10' > 9                          | true
            '10' < '9'                        | true
            '1e2' = 100                       | true
            ' 1' = 1                          | false
            /qty = '150'                      | true
            /qty > '99'                       | true
            /qty < 'abc'                      | true
            /word + 1 IS NULL                 | true
            /word * 1 = 0                     | false
            """)
    void shouldCoerceStringsAndNumbers(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            1 + 2 = 3                         | true
            1 + 2 * 3 = 7                     | true
            (1 + 2) * 3 = 9                   | true
            10 - 4 - 3 = 3                    | true
            10 - (4 - 3) = 9                  | true
            2 * 3 + 4 = 10                    | true
            7 / 2 = 3                         | true
            1 / 5 = 0                         | true
            -7 / 2 = -3                       | true
            7.0 / 2 = 3.5                     | true
            7 / 2.0 = 3.5                     | true
            7 % 3 = 1                         | true
            -7 % 3 = -1                       | true
            7 MOD 3 = 1                       | true
            7 mod 3 = 1                       | true
            7.5 % 2 = 1.5                     | true
            1 / 0 IS NULL                     | true
            1 % 0 IS NULL                     | true
            1.0 / 0 IS NULL                   | true
            1 / 0 = 1 / 0                     | false
            /qty / 0 > 0                      | false
            /qty * 2 = 300                    | true
            /qty + /px = 249.5                | true
            /qty - /neg = 157                 | true
            /qty / 4 = 37                     | true
            /qty % 7 = 3                      | true
            /qty / 4.0 = 37.5                 | true
            -/qty = -150                      | true
            - /qty < 0                        | true
            +/qty = 150                       | true
            --5 = 5                           | true
            -(-5) = 5                         | true
            2 - -3 = 5                        | true
            # Without spaces this is the path /qty/2, which is absent.
            /qty/2 = 75                       | false
            /qty / /zero IS NULL              | true
            /qty/ 2 = 75                      | true
            10/2 = 5                          | true
            /t + 1 = 2                        | true
            /f * 5 = 0                        | true
            9223372036854775807 + 1 > 0       | true
            9223372036854775807 + 1 = 9223372036854775807 + 1 | true
            -9223372036854775807 - 10 < 0     | true
            9223372036854775807 * 2 > 0       | true
            /nul + 1 IS NULL                  | true
            /missing + 1 IS NULL              | true
            /nul * 0 = 0                      | false
            /empty + 1 IS NULL                | true
            .5 + .5 = 1                       | true
            1.5e1 = 15                        | true
            2E2 = 200                         | true
            1e-1 < 1                          | true
            /nums + 1 = 2                     | true
            /tags + 1 IS NULL                 | true
            """)
    void shouldDoArithmetic(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /qty BETWEEN 100 AND 200          | true
            /qty BETWEEN 150 AND 150          | true
            /qty BETWEEN 151 AND 200          | false
            /qty BETWEEN 100 AND 149          | false
            /qty NOT BETWEEN 100 AND 200      | false
            /qty NOT BETWEEN 151 AND 200      | true
            /qty BETWEEN 200 AND 100          | false
            /px BETWEEN 99 AND 100            | true
            /region BETWEEN 'a' AND 'f'       | true
            /region BETWEEN 'f' AND 'z'       | false
            /qty BETWEEN 100 + 40 AND 100 * 2 | true
            /qty BETWEEN 100 AND 200 AND /region = 'eu' | true
            /qty BETWEEN NULL AND 200         | false
            /qty NOT BETWEEN NULL AND 200     | false
            /qty BETWEEN NULL AND 100         | false
            /qty NOT BETWEEN NULL AND 100     | true
            /missing BETWEEN 1 AND 2          | false
            /missing NOT BETWEEN 1 AND 2      | false
            /nums BETWEEN 4 AND 6             | true
            /nums BETWEEN 6 AND 9             | false
            /nums NOT BETWEEN 4 AND 6         | false
            /numstr BETWEEN 40 AND 50         | true
            /qty IN (100, 150, 200)           | true
            /qty IN (100, 200)                | false
            /qty IN (150)                     | true
            /qty NOT IN (100, 200)            | true
            /qty NOT IN (100, 150)            | false
            /qty IN (150.0)                   | true
            /qty IN ('150')                   | true
            /region IN ('us', 'eu')           | true
            /region IN ('us', 'apac')         | false
            /region IN ('EU')                 | false
            /region NOT IN ('us', 'apac')     | true
            /region IN (NULL, 'eu')           | true
            /region IN (NULL, 'us')           | false
            /region NOT IN (NULL, 'us')       | false
            /missing IN ('eu')                | false
            /missing NOT IN ('eu')            | false
            /nul IN (NULL)                    | false
            /nul NOT IN (NULL)                | false
            /tags IN ('green')                | true
            /tags IN ('black', 'blue')        | true
            /tags IN ('black')                | false
            /tags NOT IN ('black')            | true
            /tags NOT IN ('red')              | false
            /qty IN (100 + 50)                | true
            /region IN (/name, 'eu')          | true
            /qty IS NULL                      | false
            /qty IS NOT NULL                  | true
            /missing IS NULL                  | true
            /missing IS NOT NULL              | false
            /nul IS NULL                      | true
            /nul IS NOT NULL                  | false
            /empty IS NULL                    | true
            /empty IS NOT NULL                | false
            /empty = ''                       | false
            '' IS NULL                        | true
            NULL IS NULL                      | true
            NULL IS NOT NULL                  | false
            /none IS NULL                     | true
            /none IS NOT NULL                 | false
            /tags IS NULL                     | false
            /tags IS NOT NULL                 | true
            /order IS NULL                    | true
            /order/id IS NOT NULL             | true
            /f IS NULL                        | false
            /zero IS NOT NULL                 | true
            NOT /qty IS NULL                  | true
            """)
    void shouldEvaluateRangeMembershipAndNullTests(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /name LIKE 'idg'                  | true
            /name LIKE '^Wid'                 | true
            /name LIKE 'get$'                 | true
            /name LIKE '^Widget$'             | true
            /name LIKE '^idget'               | false
            /name LIKE 'widget'               | false
            /name LIKE '(?i)widget'           | true
            /name LIKE '(?i)^WIDGET$'         | true
            /name LIKE 'W.d.e'                | true
            /name LIKE 'W[aeiou]dget'         | true
            /name LIKE 'x*'                   | true
            /name NOT LIKE 'idg'              | false
            /name NOT LIKE 'xyz'              | true
            /name LIKE "idg"                  | true
            /name LIKE r'^W\\w+$'             | true
            /name LIKE '^W\\\\w+$'            | true
            /name LIKE r'^W\\\\w+$'           | false
            /name LIKE r'\\d'                 | false
            /qty LIKE '^15'                   | true
            /qty LIKE '0$'                    | true
            /px LIKE '\\\\.5'                 | true
            /t LIKE 'ru'                      | true
            /missing LIKE '.*'                | false
            /missing NOT LIKE '.*'            | false
            /nul LIKE ''                      | false
            /tags LIKE '^gr'                  | true
            /tags LIKE '^bl'                  | true
            /tags LIKE '^y'                   | false
            /tags NOT LIKE '^y'               | true
            /tags NOT LIKE 'e'                | false
            /esc LIKE r'b\\\\c'               | true
            /esc LIKE '\\n'                   | true
            /esc LIKE '"'                     | true
            /utf LIKE 'caf.$'                 | true
            /uni LIKE '^café$'                | true
            /order/side LIKE '^b'             | true
            'C++' LIKE r'C\\\\+\\\\+'         | false
            'C++' LIKE r'C\\+\\+'             | true
            'C++' LIKE 'C\\\\+\\\\+'          | true
            /region BEGINS WITH ('e')         | true
            /region BEGINS WITH ('eu')        | true
            /region BEGINS WITH ('eux')       | false
            /region BEGINS WITH ('u')         | false
            /region BEGINS WITH ('x', 'e')    | true
            /region NOT BEGINS WITH ('u')     | true
            /region NOT BEGINS WITH ('e')     | false
            /region ENDS WITH ('u')           | true
            /region ENDS WITH ('eu')          | true
            /region ENDS WITH ('e')           | false
            /region ENDS WITH ('x', 'u')      | true
            /region NOT ENDS WITH ('e')       | true
            /name begins with ('Wid')         | true
            /name ends with ('get')           | true
            /name BEGINS WITH ('wid')         | false
            /qty BEGINS WITH ('15')           | true
            /qty ENDS WITH ('50')             | true
            /qty BEGINS WITH (1)              | true
            /missing BEGINS WITH ('a')        | false
            /missing NOT BEGINS WITH ('a')    | false
            /region BEGINS WITH (NULL)        | false
            /region BEGINS WITH (NULL, 'e')   | true
            /region NOT BEGINS WITH (NULL, 'x') | false
            /tags BEGINS WITH ('gr')          | true
            /tags ENDS WITH ('ue')            | true
            /tags ENDS WITH ('x')             | false
            /utf ENDS WITH ('é')              | true
            /utf BEGINS WITH ('caf')          | true
            /uni ENDS WITH ('fé')             | true
            /esc BEGINS WITH ('a"')           | true
            /region BEGINS WITH (/region)     | true
            """)
    void shouldMatchPatternsAndAffixes(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }

    /**
     * String equality compares values of up to eight bytes as one word: lengths 7, 8 and 9 on
     * either side of it, values that share the word but differ after it, and a value so near the
     * end of the array that no whole word is left to read there.
     */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /s = 'abcdefg'      | {"s":"abcdefg","t":1}        | true
            /s = 'abcdefgh'     | {"s":"abcdefgh","t":1}       | true
            /s = 'abcdefghi'    | {"s":"abcdefghi","t":1}      | true
            /s = 'abcdefghj'    | {"s":"abcdefghi","t":1}      | false
            /s = 'abcdefgh'     | {"s":"abcdefghi","t":1}      | false
            /s = 'abcdefghi'    | {"s":"abcdefgh","t":1}       | false
            /s = 'abcdefg'      | {"s":"abcdefgh","t":1}       | false
            /s = 'abcdefgx'     | {"s":"abcdefgh","t":1}       | false
            /s != 'abcdefgx'    | {"s":"abcdefgh","t":1}       | true
            /s = 'ab'           | {"s":"ab"}                   | true
            /s = 'ac'           | {"s":"ab"}                   | false
            /s = 'a'            | {"s":"ab"}                   | false
            /s = 'é'            | {"s":"é"}                    | true
            /s = 'e'            | {"s":"é"}                    | false
            /abcdefghi = 1      | {"abcdefghj":1,"abcdefghi":1} | true
            /abcdefghi = 1      | {"abcdefghj":1}              | false
            /abcdefgh = 1       | {"abcdefgh":1}               | true
            /abcdefgh = 1       | {"abcdefgx":1}               | false
            """)
    void shouldCompareStringsAndKeysAroundTheWordBoundary(String expression, String json, boolean expected) {
        Filter filter = Filter.compile(expression);
        byte[] doc = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(filter.matches(doc)).isEqualTo(expected);
        // The same document in the middle of a larger array, with bytes after it that would
        // change the answer if a word read reached past the value.
        byte[] padded = ("xxxx" + json + "zzzzzzzzzzzzzzzz").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(filter.matches(padded, 4, doc.length)).isEqualTo(expected);
    }
}
