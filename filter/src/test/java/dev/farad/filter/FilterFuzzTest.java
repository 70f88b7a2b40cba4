package dev.farad.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets for the filter language, which reaches the broker from any logged-on client:
 * compiling any text either succeeds or throws {@link FilterSyntaxException}, and evaluating any
 * compiled filter against any bytes returns true or false: no other exception, no stack overflow,
 * no hang (the limits bound depth and regex size).
 *
 * <p>The normal build runs each committed input under {@code
 * src/test/resources/dev/farad/filter/FilterFuzzTestInputs/<method>/} once; {@code JAZZER_FUZZ=1}
 * fuzzes (see {@code docs/SECURITY.md}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilterFuzzTest {
    private static final FilterLimits LIMITS = new FilterLimits(1024, 32, 256);
    private static final byte[] DOC = FilterFixtures.utf8(FilterFixtures.DOC);

    @FuzzTest(maxDuration = "30s")
    void parser(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Filter f = Filter.compile(text, LIMITS);
            assertThat(f.expression()).isEqualTo(text);
            f.matches(DOC); // whatever compiles must evaluate without throwing
        } catch (FilterSyntaxException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void evaluator(FuzzedDataProvider data) {
        String text = data.consumeString(200);
        byte[] json = data.consumeRemainingAsBytes();
        Filter f;
        try {
            f = Filter.compile(text, LIMITS);
        } catch (FilterSyntaxException e) {
            return;
        }
        f.matches(json);
        f.matches(DOC);
        if (json.length > 2) {
            f.matches(json, 1, json.length - 2); // a window inside a larger buffer, as the broker passes
        }
        assertThat(new String(json, StandardCharsets.UTF_8)).isNotNull();
    }
}
