package dev.farad.filter;

import static dev.farad.filter.FilterFixtures.DOC;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Three-valued logic, precedence, keyword case and functions, evaluated against {@link FilterFixtures#DOC}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterLogicTest {

    /** {@code /missing = 1} is NULL, {@code 1 = 1} TRUE and {@code 1 = 2} FALSE. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            TRUE AND TRUE                     | true
            TRUE AND FALSE                    | false
            FALSE AND TRUE                    | false
            FALSE AND FALSE                   | false
            TRUE OR FALSE                     | true
            FALSE OR TRUE                     | true
            FALSE OR FALSE                    | false
            TRUE OR TRUE                      | true
            NOT TRUE                          | false
            NOT FALSE                         | true
            NOT NOT TRUE                      | true
            NULL                              | false
            NOT NULL                          | false
            TRUE AND NULL                     | false
            NOT (TRUE AND NULL)               | false
            (TRUE AND NULL) IS NULL           | true
            FALSE AND NULL                    | false
            NOT (FALSE AND NULL)              | true
            NULL AND FALSE                    | false
            NOT (NULL AND FALSE)              | true
            TRUE OR NULL                      | true
            NULL OR TRUE                      | true
            FALSE OR NULL                     | false
            NOT (FALSE OR NULL)               | false
            (FALSE OR NULL) IS NULL           | true
            NULL OR NULL                      | false
            (NULL OR NULL) IS NULL            | true
            (NOT NULL) IS NULL                | true
            /missing = 1                      | false
            NOT /missing = 1                  | false
            NOT (/missing = 1)                | false
            /missing != 1                     | false
            (/missing = 1) IS NULL            | true
            /missing = 1 OR 1 = 1             | true
            /missing = 1 AND 1 = 2            | false
            NOT (/missing = 1 AND 1 = 2)      | true
            /missing = 1 AND 1 = 1            | false
            NOT (/missing = 1 AND 1 = 1)      | false
            /missing = 1 OR 1 = 2             | false
            NOT (/missing = 1 OR 1 = 2)       | false
            /nul = NULL                       | false
            /nul != NULL                      | false
            NULL = NULL                       | false
            NULL != NULL                      | false
            NOT (NULL = NULL)                 | false
            /qty = NULL                       | false
            /qty != NULL                      | false
            /qty > NULL                       | false
            NOT (/qty < NULL)                 | false
            /empty = ''                       | false
            /empty != 'x'                     | false
            /missing IS NULL OR /missing != 1 | true
            /region = 'eu' AND /qty > 100     | true
            /region = 'eu' AND /qty > 200     | false
            /region = 'us' OR /qty > 100      | true
            /region = 'us' OR /qty > 200      | false
            /region = 'us' AND /qty > 100 OR /px > 99      | true
            /region = 'us' AND (/qty > 100 OR /px > 99)    | false
            /px > 99 OR /region = 'us' AND /qty > 1000     | true
            (/px > 99 OR /region = 'us') AND /qty > 1000   | false
            NOT /region = 'us' AND /qty > 100              | true
            NOT (/region = 'eu' AND /qty > 100)            | false
            NOT /region = 'eu' OR /qty > 100               | true
            NOT /region = 'eu' OR NOT /qty > 100           | false
            TRUE OR FALSE AND FALSE           | true
            (TRUE OR FALSE) AND FALSE         | false
            FALSE AND FALSE OR TRUE           | true
            NOT FALSE AND FALSE               | false
            NOT (FALSE AND FALSE)             | true
            1 = 1 AND 2 = 2 AND 3 = 3 AND 4 = 4 | true
            1 = 1 AND 2 = 2 AND 3 = 4 AND 4 = 4 | false
            1 = 2 OR 2 = 3 OR 3 = 4 OR 4 = 4  | true
            ((((/qty = 150))))                | true
            (/qty) = 150                      | true
            1 + 1 = 2 AND 2 * 2 = 4           | true
            (/qty > 100) = TRUE               | true
            (/qty > 100) = (/px > 99)         | true
            (/qty > 1000) = FALSE             | true
            (/missing > 1) = FALSE            | false
            /region = 'eu' and /qty > 100     | true
            /region = 'eu' And /qty > 100     | true
            /region = 'us' or /qty > 100      | true
            not /region = 'us'                | true
            /qty between 100 and 200          | true
            /qty Between 100 AnD 200          | true
            /qty not between 100 and 200      | false
            /qty in (150)                     | true
            /qty not in (150)                 | false
            /qty is null                      | false
            /qty is not null                  | true
            /qty Is Not Null                  | true
            /name like 'W'                    | true
            /name not like 'W'                | false
            /name Like 'W'                    | true
            /t = tRuE                         | true
            /nul is NULL                      | true
            null is null                      | true
            /name begins WITH ('W')           | true
            /name Ends With ('t')             | true
            """)
    void shouldFollowThreeValuedLogicAndPrecedence(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            UPPER(/region) = 'EU'             | true
            upper(/region) = 'EU'             | true
            Upper(/name) = 'WIDGET'           | true
            LOWER(/name) = 'widget'           | true
            LOWER('ÀB') = 'àb'                | true
            UPPER(/missing) IS NULL           | true
            UPPER(/qty) = '150'               | true
            UPPER(/tags) = 'RED'              | true
            LENGTH(/name) = 6                 | true
            LENGTH(/utf) = 4                  | true
            LENGTH(/uni) = 4                  | true
            LENGTH(/esc) = 7                  | true
            LENGTH(/empty) IS NULL            | true
            LENGTH(/missing) IS NULL          | true
            LENGTH(/qty) = 3                  | true
            LENGTH(/tags) = 3                 | true
            LENGTH('') IS NULL                | true
            SUBSTR(/name, 1, 3) = 'Wid'       | true
            SUBSTR(/name, 2, 3) = 'idg'       | true
            SUBSTR(/name, 4) = 'get'          | true
            SUBSTR(/name, 1) = 'Widget'       | true
            SUBSTR(/name, 0, 2) = 'Wi'        | true
            SUBSTR(/name, -3) = 'get'         | true
            SUBSTR(/name, -3, 2) = 'ge'       | true
            SUBSTR(/name, -100, 2) = 'Wi'     | true
            SUBSTR(/name, 6) = 't'            | true
            SUBSTR(/name, 7) IS NULL          | true
            SUBSTR(/name, 100) IS NULL        | true
            SUBSTR(/name, 2, 0) IS NULL       | true
            SUBSTR(/name, 2, -1) IS NULL      | true
            SUBSTR(/name, 2, 100) = 'idget'   | true
            SUBSTR(/name, 2.9, 2) = 'id'      | true
            SUBSTR(/name, '2', '2') = 'id'    | true
            SUBSTR(/name, 'x') IS NULL        | true
            SUBSTR(/name, NULL) IS NULL       | true
            SUBSTR(/missing, 1) IS NULL       | true
            SUBSTR(/utf, 4, 1) = 'é'          | true
            SUBSTR(/qty, 1, 2) = '15'         | true
            SUBSTR(/qty, 1, 2) = 15           | true
            SUBSTR(/name, 9223372036854775807, 9223372036854775807) IS NULL | true
            SUBSTR(/name, -9223372036854775807) = 'Widget' | true
            CONCAT(/region, '-', /qty) = 'eu-150' | true
            CONCAT(/region) = 'eu'            | true
            CONCAT(/missing, 'x') = 'x'       | true
            CONCAT(/missing, /nul) IS NULL    | true
            CONCAT(/t, /px) = 'true99.5'      | true
            CONCAT('a', 'b', 'c', 'd') = 'abcd' | true
            COALESCE(/missing, /nul, /region) = 'eu' | true
            COALESCE(/missing, 5) = 5         | true
            COALESCE(/qty, 5) = 150           | true
            COALESCE(/missing) IS NULL        | true
            COALESCE(/empty, 'x') = 'x'       | true
            COALESCE(/none, 'x') = 'x'        | true
            ABS(/neg) = 7                     | true
            ABS(-2.5) = 2.5                   | true
            ABS(/qty) = 150                   | true
            ABS('-3') = 3                     | true
            ABS('x') IS NULL                  | true
            ABS(/missing) IS NULL             | true
            ABS(-9223372036854775807 - 1) > 0 | true
            IF(/qty > 100, 'big', 'small') = 'big'   | true
            IF(/qty > 1000, 'big', 'small') = 'small' | true
            IF(/missing > 1, 'a', 'b') = 'b'  | true
            IF(TRUE, /region, /name) = 'eu'   | true
            IF(/t, 1, 2) = 1                  | true
            IF(/qty > 100, /qty > 0, FALSE)   | true
            IF(/qty > 100, NULL, TRUE)        | false
            IF(/qty, 1, 2) = 1                | true
            UPPER(SUBSTR(CONCAT(/region, /name), 1, 4)) = 'EUWI' | true
            LENGTH(CONCAT(/name, /name)) = 12 | true
            ABS(/neg) + LENGTH(/name) = 13    | true
            UPPER(/region) IN ('EU', 'US')    | true
            LOWER(/name) LIKE '^wid'          | true
            UPPER(/region) BETWEEN 'A' AND 'F' | true
            """)
    void shouldEvaluateFunctions(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /esc = 'a\\"b\\\\c\\nd'           | true
            /esc = "a\\"b\\\\c\\nd"           | true
            /esc = 'a"b\\\\c\\nd'             | true
            /esc = 'a\\x22b\\x5cc\\x0ad'      | true
            /esc = 'a\\042b\\134c\\012d'      | true
            /region = '\\x65\\x75'            | true
            /region = '\\145\\165'            | true
            /utf = 'caf\\xc3\\xa9'            | true
            /uni = 'caf\\xc3\\xa9'            | true
            /sp = 'a\\x20b'                   | true
            /sp = r'a b'                      | true
            /region = r'eu'                   | true
            /region = R'eu'                   | true
            /region = r"eu"                   | true
            r'a\\nb' = 'a\\\\nb'              | true
            r'a\\nb' = 'a\\nb'                | false
            LENGTH(r'a\\nb') = 4              | true
            LENGTH('a\\nb') = 3               | true
            LENGTH('\\t') = 1                 | true
            '\\'' = "'"                       | true
            'it\\'s' = "it's"                 | true
            r"it's" = 'it\\'s'                | true
            '\\/' = '/'                       | true
            '\\b\\f\\r' = '\\x08\\x0c\\x0d'   | true
            """)
    void shouldDecodeStringLiterals(String expression, boolean expected) {
        assertThat(FilterFixtures.matches(expression, DOC)).isEqualTo(expected);
    }
}
