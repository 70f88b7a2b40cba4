package dev.farad.bench.jmh;

import dev.farad.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue #4's filter target: {@code /region = 'eu' AND /qty > 100} on a ~200-byte JSON order, at
 * least 5 million evaluations per second per core (at most 200 ns each). {@code matching} finds
 * both fields true; {@code rejecting} fails on {@code /region}; {@code lateFields} puts the named
 * fields at the end so the scan crosses the whole document.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FilterBenchmark {
    static final String EXPRESSION = "/region = 'eu' AND /qty > 100";

    private Filter filter;
    private byte[] matching;
    private byte[] rejecting;
    private byte[] lateFields;

    @Setup
    public void setUp() {
        filter = Filter.compile(EXPRESSION);
        matching = json("{\"id\":\"ord-000123\",\"region\":\"eu\",\"qty\":250,\"price\":101.25,\"side\":\"buy\","
                + "\"symbol\":\"FRD\",\"trader\":\"alice\",\"venue\":\"XPAR\",\"flags\":[\"a\",\"b\"],"
                + "\"ts\":1732435200123,\"note\":\"regular order\"}");
        rejecting = json(new String(matching, StandardCharsets.UTF_8).replace("\"eu\"", "\"us\""));
        lateFields = json("{\"id\":\"ord-000123\",\"price\":101.25,\"side\":\"buy\",\"symbol\":\"FRD\","
                + "\"trader\":\"alice\",\"venue\":\"XPAR\",\"flags\":[\"a\",\"b\"],\"ts\":1732435200123,"
                + "\"note\":\"regular order\",\"extra\":{\"a\":1,\"b\":2},\"region\":\"eu\",\"qty\":250}");
        if (!filter.matches(matching) || filter.matches(rejecting) || !filter.matches(lateFields)) {
            throw new IllegalStateException("benchmark documents do not evaluate as intended");
        }
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public boolean matching() {
        return filter.matches(matching);
    }

    @Benchmark
    public boolean rejecting() {
        return filter.matches(rejecting);
    }

    @Benchmark
    public boolean lateFields() {
        return filter.matches(lateFields);
    }
}
