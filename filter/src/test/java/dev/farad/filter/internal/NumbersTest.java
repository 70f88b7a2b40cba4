package dev.farad.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NumbersTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0                    | LONG   | 0
            -0                   | LONG   | 0
            +7                   | LONG   | 7
            42                   | LONG   | 42
            -42                  | LONG   | -42
            007                  | LONG   | 7
            123456789012345678   | LONG   | 123456789012345678
            9223372036854775807  | LONG   | 9223372036854775807
            -9223372036854775808 | LONG   | -9223372036854775808
            9223372036854775808  | DOUBLE | 9.223372036854775808E18
            1.5                  | DOUBLE | 1.5
            -2.25                | DOUBLE | -2.25
            .5                   | DOUBLE | 0.5
            5.                   | DOUBLE | 5.0
            1e3                  | DOUBLE | 1000.0
            1E-2                 | DOUBLE | 0.01
            2.5e+2               | DOUBLE | 250.0
            0.1                  | DOUBLE | 0.1
            0.30000000000000004  | DOUBLE | 0.30000000000000004
            1e308                | DOUBLE | 1.0E308
            1e999                | DOUBLE | Infinity
            1e-999               | DOUBLE | 0.0
            0.000000000000000000000000001 | DOUBLE | 1.0E-27
            """)
    void shouldParseNumbers(String text, String type, String expected) {
        Value out = new Value();
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(Numbers.parse(b, 0, b.length, out)).isTrue();
        if (type.equals("LONG")) {
            assertThat(out.type).isEqualTo(Value.LONG);
            assertThat(out.longValue).isEqualTo(Long.parseLong(expected));
        } else {
            assertThat(out.type).isEqualTo(Value.DOUBLE);
            assertThat(out.doubleValue).isEqualTo(Double.parseDouble(expected));
        }
    }

    @ParameterizedTest(name = "#{index} [{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``
            -
            +
            .
            e5
            1e
            1e+
            1.2.3
            1,5
            ` 1`
            `1 `
            0x10
            NaN
            Infinity
            1_000
            --1
            """)
    void shouldRejectNonNumbers(String text) {
        String t = text == null ? "" : text;
        Value out = new Value().setLong(99);
        byte[] b = t.getBytes(StandardCharsets.US_ASCII);
        assertThat(Numbers.parse(b, 0, b.length, out)).isFalse();
        assertThat(out.longValue).isEqualTo(99);
    }

    @Test
    void shouldAgreeWithTheJdkOnRandomDecimals() {
        Random random = new Random(11);
        Value out = new Value();
        for (int i = 0; i < 20_000; i++) {
            String text = (random.nextBoolean() ? "-" : "") + random.nextInt(1_000_000) + "." + random.nextInt(1_000_000)
                    + (random.nextInt(4) == 0 ? "e" + (random.nextInt(40) - 20) : "");
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            assertThat(Numbers.parse(b, 0, b.length, out)).isTrue();
            assertThat(out.doubleValue).as(text).isEqualTo(Double.parseDouble(text));
        }
    }
}
