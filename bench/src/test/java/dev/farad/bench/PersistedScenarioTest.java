package dev.farad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.bench.load.TempDirectory;
import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.TxLogConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Scenario 4 end to end for a fraction of a second: against the embedded broker it reports
 * persisted publishes with their ack latency and leaves no directory behind; against a broker
 * that does not log its topic it is skipped at once, naming the config the broker needs. Timing is
 * printed, never asserted.
 */
class PersistedScenarioTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void measuresPersistedPublishesAgainstTheEmbeddedBrokerAndDeletesItsDirectories() throws IOException {
        Set<Path> scratchBefore = scratchDirectories();
        Path json = dir.resolve("raw.jsonl");
        String out = run("--embedded", "--json", json.toString());

        List<ReportCommand.Row> rows = ReportCommand.read(json);
        assertThat(rows).as(out).hasSize(1);
        Map<String, Double> f = rows.get(0).numbers();
        assertThat(rows.get(0).text()).containsEntry("scenario", "persisted");
        assertThat(rows.get(0).text().get("note")).as(out).doesNotStartWith("skipped");
        assertThat(f).as(out).containsKeys("p50_us", "p90_us", "p99_us", "p99_9_us", "max_us");
        assertThat(f.get("persisted_per_s")).as(out).isPositive();
        assertThat(f.get("samples")).as(out).isPositive();
        assertThat(f.get("lost")).as(out).isZero();
        assertThat(f.get("failed")).as(out).isZero();
        assertThat(scratchDirectories()).as("the publish store's and the broker's temporary directories")
                .isSubsetOf(scratchBefore);

        int code = BenchMain.commandLine().setOut(new PrintWriter(new StringWriter()))
                .execute("report", json.toString(), "--out", dir.toString());
        assertThat(code).isZero();
        assertThat(Files.readString(dir.resolve("results.md"))).contains("persisted");
    }

    @ParameterizedTest(name = "log: {0}")
    @ValueSource(strings = {"none", "another topic"})
    @Timeout(60)
    void isSkippedAgainstABrokerThatDoesNotLogItsTopic(String log) {
        BrokerConfig.Builder config = BrokerConfig.builder().port(0);
        if (!log.equals("none")) {
            config.txLog(TxLogConfig.of(dir, "orders"));
        }
        try (Broker broker = Broker.start(config.build())) {
            String out = run("--uri", broker.uri());

            assertThat(out).contains("farad  persisted", "skipped: the broker does not log topic bench-persisted",
                    "dataDirectory=", "log.bench.topic=bench-persisted");
        }
    }

    private static String run(String... target) {
        StringWriter out = new StringWriter();
        String[] args = Stream.concat(Stream.of("run", "-s", "persisted", "--warmup", "PT0.1S", "--duration",
                "PT0.3S", "--window", "64"), Stream.of(target)).toArray(String[]::new);
        int code = BenchMain.commandLine().setOut(new PrintWriter(out)).execute(args);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    private static Set<Path> scratchDirectories() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith(TempDirectory.PREFIX))
                    .collect(Collectors.toSet());
        }
    }
}
