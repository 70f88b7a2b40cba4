package dev.farad.filter;

import static dev.farad.filter.FilterFixtures.DOC;
import static dev.farad.filter.FilterFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile or broken messages never make evaluation throw; ranges and threads behave. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FilterRobustnessTest {

    private static final List<Filter> FILTERS = List.of(
            Filter.compile("TRUE"),
            Filter.compile("/region = 'eu' AND /qty > 100"),
            Filter.compile("/order/legs/px > 2 OR /tags IN ('red') OR /a[0]/b IS NULL"),
            Filter.compile("UPPER(/name) LIKE 'W' AND SUBSTR(/esc, 2) IS NOT NULL AND /nums[1] * 2 = 10"),
            Filter.compile("NOT /missing BETWEEN 1 AND 2 OR /uni ENDS WITH ('é') OR LENGTH(CONCAT(/esc, /px)) > 3"));

    @Test
    void shouldMatchTheFullDocument() {
        assertThat(FILTERS).allMatch(f -> f.matches(utf8(DOC)));
    }

    @Test
    void shouldNotMatchAnyTruncatedDocument() {
        byte[] doc = utf8(DOC.strip());
        for (int len = 0; len < doc.length; len++) {
            for (Filter f : FILTERS) {
                assertThat(f.matches(doc, 0, len)).as("%s on %d bytes", f, len).isFalse();
            }
        }
    }

    @Test
    void shouldNotMatchDocumentsWithAByteFlipped() {
        byte[] doc = utf8(DOC.strip());
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] copy = doc.clone();
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            for (Filter f : FILTERS) {
                f.matches(copy); // must not throw; the result depends on the byte
            }
        }
    }

    @Test
    void shouldNeverThrowOnRandomBytes() {
        Random random = new Random(7);
        byte[] alphabet = utf8("{}[]:,\"\\ 0123456789-+.eEtrufalsn/abqx\u00e9");
        for (int i = 0; i < 3000; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            for (int j = 0; j < junk.length; j++) {
                junk[j] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            for (Filter f : FILTERS) {
                f.matches(junk);
            }
        }
    }

    @Test
    void shouldNotMatchNestingDeeperThanTheScannerLimitWithoutThrowing() {
        for (int depth : new int[] {10, 511, 512, 513, 100_000}) {
            String open = "{\"a\":[".repeat(depth);
            String close = "]}".repeat(depth);
            byte[] doc = utf8("{\"qty\":150," + open.substring(1) + "1" + close);
            assertThat(Filter.compile("/qty = 150").matches(doc)).as("depth %d", depth).isEqualTo(depth * 2 <= 512);
            byte[] arrays = utf8("{\"a\":" + "[".repeat(depth) + "1" + "]".repeat(depth) + "}");
            assertThat(Filter.compile("/a = 1").matches(arrays)).as("arrays %d", depth).isEqualTo(depth < 512);
            byte[] unclosed = utf8("{\"a\":" + "[".repeat(depth));
            assertThat(Filter.compile("TRUE").matches(unclosed)).isFalse();
        }
    }

    @Test
    void shouldKeepOnlyTheFirstValuesOfAHugeArray() {
        StringBuilder sb = new StringBuilder("{\"a\":[");
        for (int i = 0; i < 70_000; i++) {
            sb.append(i).append(',');
        }
        sb.append("-1]}");
        byte[] doc = utf8(sb.toString());
        assertThat(Filter.compile("/a = 65535").matches(doc)).isTrue();
        assertThat(Filter.compile("/a = 65536").matches(doc)).isFalse();
        assertThat(Filter.compile("/a[69999] = 69999").matches(doc)).isTrue();
        Filter reused = Filter.compile("/a = 5000");
        for (int i = 0; i < 3; i++) {
            assertThat(reused.matches(doc)).isTrue();
            assertThat(reused.matches(utf8("{\"a\":[4999,5000]}"))).isTrue();
            assertThat(reused.matches(utf8("{\"a\":[1,2]}"))).isFalse();
        }
    }

    @Test
    void shouldMatchLongKeys() {
        for (int length : new int[] {62, 63, 64, 70, 300}) {
            String key = "k".repeat(length);
            Filter f = Filter.compile("/" + key + " = 1 AND /" + "k".repeat(length + 1) + " = 2");
            assertThat(f.matches(utf8("{\"" + key + "\":1,\"" + key + "k\":2}"))).as("length %d", length).isTrue();
            assertThat(f.matches(utf8("{\"" + key + "\":2,\"" + key + "k\":1}"))).as("length %d", length).isFalse();
        }
    }

    @Test
    void shouldEvaluateOnlyTheGivenRange() {
        byte[] buffer = utf8("xx{\"a\":1}yy{\"a\":2}");
        Filter f = Filter.compile("/a = 2");
        assertThat(f.matches(buffer, 11, 7)).isTrue();
        assertThat(f.matches(buffer, 2, 7)).isFalse();
        assertThat(f.matches(buffer, 2, 8)).isFalse();
        assertThat(f.matches(buffer, 0, 0)).isFalse();
        assertThat(f.matches(buffer)).isFalse();
    }

    @Test
    void shouldRejectRangesOutsideTheArray() {
        Filter f = Filter.compile("TRUE");
        byte[] doc = utf8("{}");
        assertThatThrownBy(() -> f.matches(doc, 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.matches(doc, -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> f.matches(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldGiveTheSameAnswersOnManyThreads() throws Exception {
        Filter f = Filter.compile("/region = 'eu' AND /qty > 100 AND UPPER(/name) = 'WIDGET'");
        byte[] yes = utf8(DOC);
        byte[] no = utf8(DOC.replace("\"qty\":150", "\"qty\":50"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        if (!f.matches(yes) || f.matches(no)) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldExposeExpressionAndPaths() {
        Filter f = Filter.compile("/b = 1 AND /a[0]/c > /b OR UPPER(/x) = 'y'");
        assertThat(f.expression()).isEqualTo("/b = 1 AND /a[0]/c > /b OR UPPER(/x) = 'y'");
        assertThat(f.paths()).containsExactly("/b", "/a[0]/c", "/x");
        assertThatThrownBy(() -> f.paths().add("/z")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Filter.compile("1 = 1").paths()).isEmpty();
        assertThat(Filter.compile("[/a b] = 1 AND [/c][0] = 2 AND [/x-y/z][1] = 3 AND /d = 4 AND [/d] = 5").paths())
                .containsExactly("[/a b]", "/c[0]", "[/x-y/z][1]", "/d");
        assertThat(f).hasToString("Filter[/b = 1 AND /a[0]/c > /b OR UPPER(/x) = 'y']");
    }
}
