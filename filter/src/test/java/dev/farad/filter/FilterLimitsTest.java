package dev.farad.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterLimitsTest {

    @Test
    void shouldHaveDocumentedDefaults() {
        assertThat(FilterLimits.DEFAULT).isEqualTo(new FilterLimits(4096, 64, 1024));
    }

    @Test
    void shouldRejectNonPositiveLimits() {
        assertThatThrownBy(() -> new FilterLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength must be > 0 but was 0");
        assertThatThrownBy(() -> new FilterLimits(1, -1, 1)).hasMessage("maxDepth must be > 0 but was -1");
        assertThatThrownBy(() -> new FilterLimits(1, 1, 0)).hasMessage("maxRegexLength must be > 0 but was 0");
    }

    @Test
    void shouldRejectExpressionsLongerThanMaxLength() {
        String ok = "/a = '" + "x".repeat(4096 - 7) + "'";
        assertThat(ok).hasSize(4096);
        assertThat(Filter.compile(ok).expression()).isEqualTo(ok);
        assertThatThrownBy(() -> Filter.compile(ok + " "))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(4096);
                    assertThat(e.expected()).isEqualTo("at most 4096 characters");
                })
                .hasMessage("bad filter at position 4096: expected at most 4096 characters but found 4097 characters");
    }

    @Test
    void shouldApplyCustomMaxLength() {
        FilterLimits limits = new FilterLimits(10, 64, 1024);
        assertThat(Filter.compile("/a = 12345", limits).paths()).containsExactly("/a");
        assertThatThrownBy(() -> Filter.compile("/a = 123456", limits))
                .hasMessage("bad filter at position 10: expected at most 10 characters but found 11 characters");
    }

    @Test
    void shouldRejectParenthesesNestedDeeperThanMaxDepth() {
        assertThat(Filter.compile("(".repeat(63) + "/a = 1" + ")".repeat(63)).matches(FilterFixtures.utf8("{\"a\":1}")))
                .isTrue();
        assertThatThrownBy(() -> Filter.compile("(".repeat(64) + "/a = 1" + ")".repeat(64)))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(63);
                    assertThat(e.expected()).isEqualTo("nesting depth at most 64");
                });
    }

    @Test
    void shouldCountNotMinusFunctionsAndOperatorChainsAsDepth() {
        FilterLimits limits = new FilterLimits(4096, 8, 1024);
        assertThatThrownBy(() -> Filter.compile("NOT ".repeat(8) + "TRUE", limits))
                .hasMessageContaining("expected nesting depth at most 8");
        assertThatThrownBy(() -> Filter.compile("/a = " + "-".repeat(8) + "1", limits))
                .hasMessageContaining("expected nesting depth at most 8");
        assertThatThrownBy(() -> Filter.compile("ABS(".repeat(8) + "1" + ")".repeat(8) + " = 1", limits))
                .hasMessageContaining("expected nesting depth at most 8");
        assertThatThrownBy(() -> Filter.compile("1" + " + 1".repeat(8) + " = 9", limits))
                .hasMessageContaining("expected nesting depth at most 8");
        assertThat(Filter.compile("1" + " + 1".repeat(6) + " = 7", limits).matches(FilterFixtures.utf8("{}"))).isTrue();
    }

    @Test
    void shouldAllowLongFlatAndOrChains() {
        String chain = String.join(" OR ", java.util.Collections.nCopies(300, "/a = 2")) + " OR /a = 1";
        assertThat(Filter.compile(chain).matches(FilterFixtures.utf8("{\"a\":1}"))).isTrue();
    }

    @Test
    void shouldRejectRegexLongerThanMaxRegexLength() {
        FilterLimits limits = new FilterLimits(4096, 64, 5);
        assertThat(Filter.compile("/a LIKE 'abcde'", limits).matches(FilterFixtures.utf8("{\"a\":\"abcde\"}"))).isTrue();
        assertThatThrownBy(() -> Filter.compile("/a LIKE 'abcdef'", limits))
                .isInstanceOfSatisfying(FilterSyntaxException.class, e -> assertThat(e.position()).isEqualTo(8))
                .hasMessage("bad filter at position 8: expected a regular expression of at most 5 characters but found 6 characters");
    }
}
