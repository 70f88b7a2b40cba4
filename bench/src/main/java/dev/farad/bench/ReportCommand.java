package dev.farad.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code farad bench report FILE.jsonl}: the median of each figure over the rounds, per system, as
 * a markdown table ({@code results.md}, with a second table for scenario 4 when it ran) and two PNG
 * charts (throughput and latency).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Turn the JSON lines of farad bench run into a markdown table and PNG charts.")
final class ReportCommand implements Callable<Integer> {
    static final List<String> SYSTEMS = List.of("farad", "nats", "redis", "mqtt");
    private static final Pattern FIELD = Pattern.compile("\"([a-z0-9_]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[-0-9.eE]+)");

    @Parameters(index = "0", description = "JSON lines written by farad bench run --json")
    Path input;

    @Option(names = {"-o", "--out"}, defaultValue = "bench/results", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--title", defaultValue = "", description = "a line under the heading (machine, command)")
    String title;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One JSON line: its strings and its numbers. */
    record Row(Map<String, String> text, Map<String, Double> numbers) {}

    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> text = new LinkedHashMap<>();
            Map<String, Double> numbers = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                if (m.group(3) != null) {
                    text.put(m.group(1), m.group(3));
                } else {
                    numbers.put(m.group(1), Double.parseDouble(m.group(2)));
                }
            }
            rows.add(new Row(text, numbers));
        }
        return rows;
    }

    /** The median over rounds of {@code figure} for (system, scenario), or NaN. */
    static double median(List<Row> rows, String system, String scenario, String figure) {
        List<Double> v = new ArrayList<>();
        for (Row r : rows) {
            if (system.equals(r.text.get("system")) && scenario.equals(r.text.get("scenario"))
                    && r.numbers.containsKey(figure)) {
                v.add(r.numbers.get(figure));
            }
        }
        if (v.isEmpty()) {
            return Double.NaN;
        }
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static int rounds(List<Row> rows) {
        return (int) rows.stream().map(r -> r.numbers.getOrDefault("round", 0.0)).distinct().count();
    }

    static String fmt(double v, boolean micros) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (micros) {
            return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    @Override
    public Integer call() throws IOException {
        List<Row> rows = read(input);
        Files.createDirectories(out);
        List<String> systems = new ArrayList<>();
        for (String s : SYSTEMS) {
            if (rows.stream().anyMatch(r -> s.equals(r.text.get("system")))) {
                systems.add(s);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# farad bench: Farad and its peers side by side\n\n");
        if (!title.isBlank()) {
            md.append(title).append("\n\n");
        }
        md.append("Median of ").append(rounds(rows)).append(" round(s); systems alternate within each round. ")
                .append("128-byte payloads unless stated; publisher and subscribers share one client JVM.\n\n");
        md.append("| system | 1→1 msg/s | 1→10 delivered msg/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | lost |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String s : systems) {
            double lost = 0;
            for (String sc : List.of("throughput", "fanout", "latency")) {
                double l = median(rows, s, sc, "lost");
                lost += Double.isNaN(l) ? 0 : l;
            }
            md.append("| ").append(s)
                    .append(" | ").append(fmt(median(rows, s, "throughput", "msgs_per_s"), false))
                    .append(" | ").append(fmt(median(rows, s, "fanout", "msgs_per_s"), false))
                    .append(" | ").append(fmt(median(rows, s, "latency", "p50_us"), true))
                    .append(" | ").append(fmt(median(rows, s, "latency", "p90_us"), true))
                    .append(" | ").append(fmt(median(rows, s, "latency", "p99_us"), true))
                    .append(" | ").append(fmt(median(rows, s, "latency", "p99_9_us"), true))
                    .append(" | ").append(fmt(median(rows, s, "latency", "max_us"), true))
                    .append(" | ").append(fmt(lost, false)).append(" |\n");
        }
        double rate = median(rows, systems.isEmpty() ? "farad" : systems.get(0), "latency", "rate");
        md.append("\nLatency: publish-to-receive at a fixed ").append(fmt(rate, false))
                .append(" msg/s, measured from each message's scheduled send time. ")
                .append("`lost`: messages the harness stopped waiting for (median per round, summed over the scenarios).\n");
        persisted(md, rows, systems);
        md.append("\n![throughput](throughput.png)\n\n![latency](latency.png)\n");
        Files.writeString(out.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
        chart(rows, systems);
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(md);
        pw.println("wrote " + out.resolve("results.md") + ", throughput.png, latency.png");
        pw.flush();
        return 0;
    }

    /**
     * Scenario 4, for the systems that ran it (skipped runs carry no figures): a table of its own,
     * since it measures writes to the broker's log rather than deliveries.
     */
    private static void persisted(StringBuilder md, List<Row> rows, List<String> systems) {
        List<String> ran = systems.stream()
                .filter(s -> !Double.isNaN(median(rows, s, "persisted", "persisted_per_s"))).toList();
        if (ran.isEmpty()) {
            return;
        }
        md.append("\nPersisted publishes (scenario 4): publish store on file, topic logged by the broker; "
                + "latency from publish to persisted ack.\n\n");
        md.append("| system | persisted publishes/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | lost | failed |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String s : ran) {
            md.append("| ").append(s).append(" | ").append(fmt(median(rows, s, "persisted", "persisted_per_s"), false));
            for (String f : List.of("p50_us", "p90_us", "p99_us", "p99_9_us", "max_us")) {
                md.append(" | ").append(fmt(median(rows, s, "persisted", f), true));
            }
            md.append(" | ").append(fmt(median(rows, s, "persisted", "lost"), false))
                    .append(" | ").append(fmt(median(rows, s, "persisted", "failed"), false)).append(" |\n");
        }
    }

    private void chart(List<Row> rows, List<String> systems) throws IOException {
        CategoryChart tp = new CategoryChartBuilder().width(900).height(500)
                .title("Throughput (128 B), messages/s received — higher is better")
                .xAxisTitle("system").yAxisTitle("messages/s").build();
        tp.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        tp.getStyler().setYAxisDecimalPattern("#,###");
        Map<String, String> tpSeries = new TreeMap<>();
        tpSeries.put("1 → 1", "throughput");
        tpSeries.put("1 → 10 (aggregate)", "fanout");
        for (Map.Entry<String, String> e : tpSeries.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String s : systems) {
                double v = median(rows, s, e.getValue(), "msgs_per_s");
                ys.add(Double.isNaN(v) ? 0 : v);
            }
            tp.addSeries(e.getKey(), systems, ys);
        }
        BitmapEncoder.saveBitmap(tp, out.resolve("throughput.png").toString(), BitmapEncoder.BitmapFormat.PNG);

        CategoryChart lat = new CategoryChartBuilder().width(900).height(500)
                .title("Latency at a fixed rate, µs from scheduled send — lower is better (log scale)")
                .xAxisTitle("system").yAxisTitle("µs").build();
        lat.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        lat.getStyler().setYAxisLogarithmic(true);
        lat.getStyler().setYAxisMin(1.0);
        for (String[] p : new String[][] {{"p50", "p50_us"}, {"p99", "p99_us"}, {"p99.9", "p99_9_us"}}) {
            List<Double> ys = new ArrayList<>();
            for (String s : systems) {
                double v = median(rows, s, "latency", p[1]);
                ys.add(Double.isNaN(v) || v <= 0 ? 1 : v);
            }
            lat.addSeries(p[0], systems, ys);
        }
        BitmapEncoder.saveBitmap(lat, out.resolve("latency.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
