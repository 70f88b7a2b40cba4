package dev.farad.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Paths, nesting and arrays: each row has its own document. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterDocumentsTest {

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /a = 1                  | {"a":1}                                   | true
            /a = 1                  | {"b":1}                                   | false
            /a = 1                  | {}                                        | false
            /a IS NULL              | {}                                        | true
            /a/b = 1                | {"a":{"b":1}}                             | true
            /a/b = 1                | {"a":{"c":1}}                             | false
            /a/b = 1                | {"a":1}                                   | false
            /a/b = 1                | {"b":1}                                   | false
            /a/b/c = 'x'            | {"a":{"b":{"c":"x"}}}                     | true
            /a/b/c = 'x'            | {"a":{"b":{"c":"y"}},"c":"x"}              | false
            /b = 2                  | {"a":{"b":1},"b":2}                       | true
            /a/b = 2                | {"a":{"b":1},"b":2}                       | false
            /a = 1                  | {"x":{"a":2},"a":1}                       | true
            /a IS NULL              | {"a":{"b":1}}                             | true
            /a IS NULL              | {"a":[]}                                  | true
            /a IS NULL              | {"a":[null]}                              | true
            /a IS NULL              | {"a":[null,1]}                            | false
            /a IS NOT NULL          | {"a":[null,1]}                            | true
            /a = 1                  | {"a":[1,2,3]}                             | true
            /a = 3                  | {"a":[1,2,3]}                             | true
            /a = 4                  | {"a":[1,2,3]}                             | false
            /a != 1                 | {"a":[1,2,3]}                             | true
            /a != 1                 | {"a":[1,1]}                               | false
            /a > 2                  | {"a":[1,2,3]}                             | true
            /a > 3                  | {"a":[1,2,3]}                             | false
            /a < 1                  | {"a":[1,2,3]}                             | false
            NOT /a = 1              | {"a":[1,2,3]}                             | false
            NOT /a = 4              | {"a":[1,2,3]}                             | true
            /a = 1                  | {"a":[]}                                  | false
            NOT /a = 1              | {"a":[]}                                  | false
            /a = 1                  | {"a":[null,1]}                            | true
            NOT /a = 2              | {"a":[null,1]}                            | false
            /a = 'x'                | {"a":[1,"x",null,true]}                   | true
            /a = TRUE               | {"a":[1,"x",null,true]}                   | true
            /a = 1                  | {"a":[[1,2],[3]]}                         | true
            /a = 3                  | {"a":[[1,2],[3]]}                         | true
            /a = 2                  | {"a":[[[[2]]]]}                           | true
            /a[0] = 1               | {"a":[1,2,3]}                             | true
            /a[0] = 2               | {"a":[1,2,3]}                             | false
            /a[1] = 2               | {"a":[1,2,3]}                             | true
            /a[2] = 3               | {"a":[1,2,3]}                             | true
            /a[3] IS NULL           | {"a":[1,2,3]}                             | true
            /a[0] IS NULL           | {"a":[]}                                  | true
            /a[0] = 1               | {"a":1}                                   | false
            /a[0] = 1 AND /a[1] = 2 | {"a":[1,2]}                               | true
            /a[1] = 2 AND /a = 1    | {"a":[1,2]}                               | true
            /a[0][1] = 2            | {"a":[[1,2],[3]]}                         | true
            /a[1][0] = 3            | {"a":[[1,2],[3]]}                         | true
            /a[1] = 3               | {"a":[[1,2],[3]]}                         | true
            /a[1] = 1               | {"a":[[1,2],[3]]}                         | false
            /a[0] = 2               | {"a":[[1,2],[3]]}                         | true
            /a/b = 2                | {"a":[{"b":1},{"b":2}]}                   | true
            /a/b = 3                | {"a":[{"b":1},{"b":2}]}                   | false
            /a/b = 1                | {"a":[{"c":5},{"b":1}]}                   | true
            /a[1]/b = 2             | {"a":[{"b":1},{"b":2}]}                   | true
            /a[0]/b = 2             | {"a":[{"b":1},{"b":2}]}                   | false
            /a[1]/b/c = 'z'         | {"a":[{"b":{"c":"y"}},{"b":{"c":"z"}}]}   | true
            /a/b/c IN ('z')         | {"a":[{"b":{"c":"y"}},{"b":{"c":"z"}}]}   | true
            /a/b BETWEEN 4 AND 6    | {"a":[{"b":1},{"b":5}]}                   | true
            /a/b LIKE '^x'          | {"a":[{"b":"ya"},{"b":"xb"}]}             | true
            /a/b + 1 = 2            | {"a":[{"b":1},{"b":5}]}                   | true
            /a/b + 1 = 6            | {"a":[{"b":1},{"b":5}]}                   | false
            UPPER(/a) = 'X'         | {"a":["x","y"]}                           | true
            UPPER(/a) = 'Y'         | {"a":["x","y"]}                           | false
            /a = /b                 | {"a":[1,2],"b":[3,2]}                     | true
            /a = /b                 | {"a":[1,2],"b":[3,4]}                     | false
            /a < /b                 | {"a":[5,6],"b":[1,7]}                     | true
            /a = 1                  | {"a":0,"a":1}                             | true
            /a = 0                  | {"a":0,"a":1}                             | true
            /a = 2                  | {"a":0,"a":1}                             | false
            /a = 'x y'              | { "a" : "x y" }                           | true
            /a = 1                  |   {"a":1}                                 | true
            /a = 'é'                | {"a":"\\u00e9"}                           | true
            /a = 'é'                | {"a":"é"}                                 | true
            /a = '😀'               | {"a":"\\ud83d\\ude00"}                    | true
            /a = '😀'               | {"a":"😀"}                                | true
            /a = 'x"y'              | {"a":"x\\"y"}                             | true
            /a = 'x\\\\y'           | {"a":"x\\\\y"}                            | true
            /a = 'x/y'              | {"a":"x\\/y"}                             | true
            /a = 'x\\ty'            | {"a":"x\\ty"}                             | true
            /ab = 1                 | {"a\\u0062":1}                            | true
            /a/b = 1                | {"\\u0061":{"b":1}}                       | true
            /é = 1                  | {"é":1}                                   | true
            /é = 1                  | {"\\u00e9":1}                             | true
            /@id = 1                | {"@id":1}                                 | true
            /55 = 'IBM'             | {"55":"IBM"}                              | true
            /a.b = 1                | {"a.b":1}                                 | true
            /a_b = 1                | {"a_b":1}                                 | true
            /$x = 1                 | {"$x":1}                                  | true
            [/order-id] = 5         | {"order-id":5}                            | true
            [/a-b] + 1 = 6          | {"a-b":5}                                 | true
            [/my key/sub key] = 'x' | {"my key":{"sub key":"x"}}                | true
            [/list of][1] = 2       | {"list of":[1,2]}                         | true
            [/a] = 1                | {"a":1}                                   | true
            [/a/b] = 1              | {"a":{"b":1}}                             | true
            [/a(b)] = 1             | {"a(b)":1}                                | true
            /a = 1.5                | {"a":1.5}                                 | true
            /a = 1.5                | {"a":15e-1}                               | true
            /a = 100                | {"a":1E2}                                 | true
            /a = -0.25              | {"a":-2.5e-1}                             | true
            /a > 1e300              | {"a":1e301}                               | true
            /a = 12345678901234567  | {"a":12345678901234567}                   | true
            /a = 1234567890123456789 | {"a":1234567890123456789}                | true
            /a = 123456789012345678 | {"a":123456789012345678}                  | true
            /a < -123456789012345677 | {"a":-123456789012345678}               | true
            /a >= 999999999999999999 | {"a":[1,999999999999999999]}            | true
            /a > 5                  | {"a":[1,"7",5.5]}                         | true
            /a != 0                 | {"a":-0}                                  | false
            /a > 9223372036854775807 | {"a":9223372036854775808}                | false
            /a > 9223372036854770000 | {"a":9223372036854775808}                | true
            /a < -9223372036854775807 | {"a":-9223372036854775808}              | true
            /a = 0.1                | {"a":0.1}                                 | true
            /a = 0.30000000000000004 | {"a":0.30000000000000004}               | true
            /a * 3 > 0.3            | {"a":0.1}                                 | true
            /a = 1                  | {"a":1.0}                                 | true
            /a = 'x'                | {"a":"x","b":{"c":[1,{"d":[]}],"e":null}}  | true
            /b/c/d IS NULL          | {"a":"x","b":{"c":[1,{"d":[]}],"e":null}}  | true
            /b/c = 1                | {"a":"x","b":{"c":[1,{"d":[]}],"e":null}}  | true
            /b/e IS NULL            | {"a":"x","b":{"c":[1,{"d":[]}],"e":null}}  | true
            /a = TRUE               | {"a":true}                                | true
            /a = FALSE              | {"a":false}                               | true
            /a IS NULL              | {"a":null}                                | true
            /a                      | {"a":true}                                | true
            /a                      | {"a":1}                                   | true
            /a                      | {"a":"TRUE"}                              | true
            /a                      | {"a":"yes"}                               | false
            /a                      | {"a":null}                                | false
            NOT /a                  | {"a":null}                                | false
            NOT /a                  | {"a":false}                               | true
            TRUE                    | {}                                        | true
            """)
    void shouldReadPathsArraysAndValues(String expression, String document, boolean expected) {
        assertThat(FilterFixtures.matches(expression, document)).isEqualTo(expected);
    }

    @Test
    void shouldAcceptAllJsonWhitespace() {
        assertThat(FilterFixtures.matches("/a = 1 AND /b/c = 2", " \t\r\n{\t\"a\"\n:\r1 , \"b\" :{ \"c\"\t: 2 } } \n")).isTrue();
    }

    /** The examples table of docs/FILTER.md. */
    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /region = 'eu' AND /qty > 100         | {"region":"eu","qty":150}                     | true
            /qty BETWEEN 100 AND 200              | {"qty":"150"}                                 | true
            /tags IN ('red')                      | {"tags":["green","red"]}                      | true
            /order/legs/px > 2                    | {"order":{"legs":[{"px":1.5},{"px":2.5}]}}    | true
            /order/legs[0]/px > 2                 | {"order":{"legs":[{"px":1.5},{"px":2.5}]}}    | false
            /name LIKE '(?i)^wid'                 | {"name":"Widget"}                             | true
            /sym BEGINS WITH ('IB', 'MS')         | {"sym":"MSFT"}                                | true
            /missing != 1                         | {}                                            | false
            /missing IS NULL OR /missing != 1     | {}                                            | true
            /qty / 0 IS NULL                      | {"qty":1}                                     | true
            1 / 5 = 0                             | {}                                            | true
            IF(/vip, /limit * 2, /limit) > 1000   | {"vip":true,"limit":600}                      | true
            TRUE                                  | [1,2]                                         | false
            /tags = 'red'                         | {"tags":["red","blue"]}                       | true
            /tags != 'red'                        | {"tags":["red","blue"]}                       | true
            /a NOT IN (NULL, 'x')                 | {"a":"y"}                                     | false
            /é = 1                                | {"\\u00e9":1}                               | true
            """)
    void shouldMatchTheDocumentedExamples(String expression, String document, boolean expected) {
        assertThat(FilterFixtures.matches(expression, document)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "#{index} {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``
            ` `
            []
            [{"a":1}]
            "a"
            1
            true
            null
            {
            }
            {"a":1
            {"a":1}}
            {"a":1},
            {"a":1}{"a":1}
            {"a":1} x
            {"a"}
            {"a":}
            {"a" 1}
            {a:1}
            {'a':1}
            {"a":1,}
            {,"a":1}
            {"a":1 "b":2}
            {"a":[1,2}
            {"a":[1,2,]}
            {"a":[,1]}
            {"a":01}
            {"a":1.}
            {"a":.5}
            {"a":-}
            {"a":1e}
            {"a":+1}
            {"a":tru}
            {"a":truex}
            {"a":nul}
            {"a":True}
            {"a":NaN}
            {"a":"x}
            {"a":"x\\"}
            {"a":"\\x41"}
            {"a":"\\u00g1"}
            {"a":"\\u00"}
            {"a":"line\nbreak"}
            {"a":1\u0000}
            {"b":{"c":[1,2,{"d":}]},"a":1}
            """)
    void shouldNotMatchWhatIsNotOneJsonObject(String document) {
        String doc = document == null ? "" : document;
        assertThat(FilterFixtures.matches("TRUE", doc)).as("TRUE on %s", doc).isFalse();
        assertThat(FilterFixtures.matches("/a = 1", doc)).as("/a = 1 on %s", doc).isFalse();
        assertThat(FilterFixtures.matches("/a IS NULL", doc)).as("/a IS NULL on %s", doc).isFalse();
    }
}
