package dev.farad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.farad.bench.load.Payload;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The load tool end to end against an in-process broker, for a fraction of a second per scenario:
 * it must run every scenario, print a line each, write JSON the report can read, and make the
 * table and charts. Timing is printed, never asserted.
 */
class BenchSmokeTest {
    @TempDir
    Path dir;

    @Test
    void payloadStampRoundTrips() {
        byte[] p = Payload.create(128, 7);
        assertThat(p).hasSize(128);
        Payload.stamp(p, 1_234_567_890_123L);
        assertThat(Payload.stampOf(p)).isEqualTo(1_234_567_890_123L);
        assertThat(new String(p, java.nio.charset.StandardCharsets.US_ASCII))
                .startsWith("{\"ts\":\"0000001234567890123\",\"g\":7,");
        assertThat(dev.farad.filter.Filter.compile("/g = 7").matches(p)).as("valid JSON for filters").isTrue();
    }

    @Test
    void runsEveryScenarioAgainstAnEmbeddedBrokerAndReports() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path json = dir.resolve("raw.jsonl");
        StringWriter out = new StringWriter();
        CommandLine cl = BenchMain.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("run", "--embedded", "--warmup", "PT0.1S", "--duration", "PT0.2S", "--window", "64",
                "--rate", "500", "--subscribers", "3", "--filters", "20", "--filter-connections", "2",
                "--sow-records", "300", "--json", json.toString());
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("farad  throughput", "farad  latency", "farad  fanout", "farad  filtered",
                "farad  sow", "farad  persisted");
        assertThat(Files.readAllLines(json)).hasSize(6).allMatch(l -> l.startsWith("{\"system\":\"farad\""));
        assertThat(Files.readString(json)).contains("\"query_returned\":1.000");
        assertThat(Files.readAllLines(json)).filteredOn(l -> l.contains("\"lost\":"))
                .hasSize(5).allMatch(l -> l.contains("\"lost\":0.000,") || l.endsWith("\"lost\":0.000}"));

        code = cl.execute("report", json.toString(), "--out", dir.toString());
        assertThat(code).isZero();
        assertThat(Files.readString(dir.resolve("results.md"))).contains("| farad |");
        assertThat(dir.resolve("throughput.png")).isNotEmptyFile();
        assertThat(dir.resolve("latency.png")).isNotEmptyFile();
    }
}
