package dev.farad.filter;

import static dev.farad.filter.FilterFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random inputs: compile() throws nothing but {@link FilterSyntaxException}, well-formed
 * filters always compile, and matches() never throws.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterPropertyTest {

    private static final String[] TOKENS = {
        "/a", "/b", "/a/b", "/a[0]", "/a[1]/b", "/", "[", "]", "[0]", "(", ")", ",", "'x'", "'", "\"", "r'", "'\\x4",
        "'\\q'", "''", "1", "-1", "1.5", "1e3", "9223372036854775808", ".", "+", "-", "*", "/", "%", "MOD", "=", "==",
        "!=", "<>", "<", "<=", ">", ">=", "!", "AND", "OR", "NOT", "BETWEEN", "IN", "LIKE", "IS", "NULL", "TRUE",
        "FALSE", "BEGINS", "ENDS", "WITH", "UPPER", "LOWER", "LENGTH", "SUBSTR", "CONCAT", "COALESCE", "ABS", "IF",
        "foo", "'('", "'[a-'", "'(?i)x'", "r'\\d+'", "#", "@", "é", " ", "\t", "\n",
    };

    private static final List<byte[]> DOCUMENTS = List.of(
            utf8(FilterFixtures.DOC),
            utf8("{\"a\":1,\"b\":\"x\"}"),
            utf8("{\"a\":[1,\"2\",null,true,{\"b\":[]}],\"b\":[\"x\",\"\"]}"),
            utf8("{\"a\":{\"b\":-9223372036854775808},\"b\":1e308}"),
            utf8("{\"a\":\"\\u00e9\\n\",\"b\":0}"),
            utf8("{\"a\":"),
            utf8("not json"),
            utf8(""));

    @Test
    void shouldOnlyEverThrowFilterSyntaxExceptionFromCompile() {
        Random random = new Random(20261124L);
        int compiled = 0;
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(12);
            for (int j = 0; j < n; j++) {
                sb.append(TOKENS[random.nextInt(TOKENS.length)]);
                if (random.nextInt(3) > 0) {
                    sb.append(' ');
                }
            }
            String expression = sb.toString();
            Filter filter;
            try {
                filter = Filter.compile(expression);
            } catch (FilterSyntaxException e) {
                assertThat(e.position()).as(expression).isBetween(0, expression.length());
                assertThat(e.getMessage()).as(expression).startsWith("bad filter at position " + e.position() + ": expected ");
                continue;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("compile(" + expression + ") threw " + e, e);
            }
            compiled++;
            assertMatchesNeverThrows(filter);
        }
        assertThat(compiled).as("some random token strings are valid filters").isGreaterThan(50);
    }

    @Test
    void shouldCompileAndEvaluateRandomWellFormedFilters() {
        Random random = new Random(4242L);
        Generator generator = new Generator(random);
        for (int i = 0; i < 3000; i++) {
            String expression = generator.condition(4);
            Filter filter = Filter.compile(expression);
            assertThat(filter.expression()).isEqualTo(expression);
            assertMatchesNeverThrows(filter);
        }
    }

    @Test
    void shouldAgreeWithDeMorganOnTwoValuedInputs() {
        Random random = new Random(99L);
        Generator generator = new Generator(random);
        for (int i = 0; i < 500; i++) {
            String p = generator.condition(2);
            String q = generator.condition(2);
            for (byte[] doc : DOCUMENTS) {
                boolean notAnd = Filter.compile("NOT ((" + p + ") AND (" + q + "))").matches(doc);
                boolean orNot = Filter.compile("NOT (" + p + ") OR NOT (" + q + ")").matches(doc);
                assertThat(notAnd).as("%s / %s", p, q).isEqualTo(orNot);
            }
        }
    }

    @Test
    void shouldCompareAPathWithALiteralLikeTheGeneralComparison() {
        String[] values = {"1", "-1", "0", "2.5", "1e3", "\"1\"", "\"x\"", "\"\"", "\"é\"", "\"a\\\"b\"", "true",
            "false", "null", "[]", "[1,\"x\"]", "{}", "9223372036854775807", "\"2.5\"", "\"true\""};
        String[] literals = {"1", "-1", "0", "2.5", "1000", "'1'", "'x'", "''", "'é'", "'a\"b'", "TRUE", "FALSE", "NULL",
            "9223372036854775807", "'2.5'", "'true'"};
        String[] ops = {"=", "!=", "<", "<=", ">", ">="};
        for (String value : values) {
            byte[] doc = utf8("{\"a\":" + value + "}");
            for (String literal : literals) {
                for (String op : ops) {
                    boolean fast = Filter.compile("/a " + op + " " + literal).matches(doc);
                    boolean general = Filter.compile("/a " + op + " COALESCE(" + literal + ")").matches(doc);
                    boolean mirrored = Filter.compile(literal + " " + mirror(op) + " /a").matches(doc);
                    String what = value + " " + op + " " + literal;
                    assertThat(fast).as(what).isEqualTo(general);
                    assertThat(mirrored).as(what).isEqualTo(general);
                    boolean negated = Filter.compile("NOT (/a " + op + " " + literal + ")").matches(doc);
                    boolean negatedGeneral = Filter.compile("NOT (/a " + op + " COALESCE(" + literal + "))").matches(doc);
                    assertThat(negated).as("NOT " + what).isEqualTo(negatedGeneral);
                }
            }
        }
    }

    private static String mirror(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static void assertMatchesNeverThrows(Filter filter) {
        for (byte[] doc : DOCUMENTS) {
            assertThatCode(() -> filter.matches(doc)).as(filter.expression()).doesNotThrowAnyException();
        }
    }

    /** Builds random filters from the grammar. */
    private static final class Generator {
        private static final String[] PATHS = {"/a", "/b", "/a/b", "/a[0]", "/a[1]", "/qty", "/tags", "/order/legs/px", "/esc"};
        private static final String[] LITERALS = {
            "1", "0", "-3", "2.5", "1e3", "'x'", "'2'", "''", "'é\\n'", "r'a\\b'", "TRUE", "FALSE", "NULL",
            "9223372036854775807", "'\\x41'",
        };
        private static final String[] COMPARE = {"=", "==", "!=", "<>", "<", "<=", ">", ">="};
        private static final String[] ARITH = {"+", "-", "*", "/", "%", "MOD"};
        private static final String[] REGEX = {"'x'", "'^a'", "'(?i)X$'", "r'\\d+'", "'.*'", "''"};

        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        String condition(int depth) {
            int choice = random.nextInt(depth <= 0 ? 8 : 12);
            return switch (choice) {
                case 0 -> value(depth - 1) + " " + pick(COMPARE) + " " + value(depth - 1);
                case 1 -> value(depth - 1) + (random.nextBoolean() ? " NOT" : "") + " BETWEEN " + value(depth - 1)
                        + " AND " + value(depth - 1);
                case 2 -> value(depth - 1) + (random.nextBoolean() ? " NOT" : "") + " IN (" + values(depth - 1) + ")";
                case 3 -> value(depth - 1) + (random.nextBoolean() ? " NOT" : "") + " LIKE " + pick(REGEX);
                case 4 -> value(depth - 1) + " IS" + (random.nextBoolean() ? " NOT" : "") + " NULL";
                case 5 -> value(depth - 1) + (random.nextBoolean() ? " BEGINS" : " ENDS") + " WITH (" + values(depth - 1) + ")";
                case 6 -> pick(PATHS);
                case 7 -> random.nextBoolean() ? "TRUE" : "FALSE";
                case 8 -> condition(depth - 1) + " AND " + condition(depth - 1);
                case 9 -> condition(depth - 1) + " OR " + condition(depth - 1);
                case 10 -> "NOT " + condition(depth - 1);
                default -> "(" + condition(depth - 1) + ")";
            };
        }

        private String values(int depth) {
            StringBuilder sb = new StringBuilder(value(depth));
            for (int n = random.nextInt(3); n > 0; n--) {
                sb.append(", ").append(value(depth));
            }
            return sb.toString();
        }

        String value(int depth) {
            int choice = random.nextInt(depth <= 0 ? 2 : 12);
            return switch (choice) {
                case 0 -> pick(PATHS);
                case 1 -> pick(LITERALS);
                case 2 -> value(depth - 1) + " " + pick(ARITH) + " " + value(depth - 1);
                case 3 -> "-" + value(depth - 1);
                case 4 -> "(" + value(depth - 1) + ")";
                case 5 -> (random.nextBoolean() ? "UPPER(" : "LOWER(") + value(depth - 1) + ")";
                case 6 -> "LENGTH(" + value(depth - 1) + ")";
                case 7 -> "SUBSTR(" + value(depth - 1) + ", " + value(depth - 1)
                        + (random.nextBoolean() ? ", " + value(depth - 1) : "") + ")";
                case 8 -> "CONCAT(" + values(depth - 1) + ")";
                case 9 -> "COALESCE(" + values(depth - 1) + ")";
                case 10 -> "ABS(" + value(depth - 1) + ")";
                default -> "IF(" + condition(depth - 1) + ", " + value(depth - 1) + ", " + value(depth - 1) + ")";
            };
        }

        private String pick(String[] options) {
            return options[random.nextInt(options.length)];
        }
    }
}
