package dev.farad.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one scenario run measured: named figures (rates in messages/s, times in microseconds),
 * printed for people by {@link #toConsole()} and for machines by {@link #toJson()} (one line).
 *
 * @param system {@code farad}, {@code nats}, {@code redis} or {@code mqtt}
 * @param scenario the scenario's name, e.g. {@code throughput}
 * @param round the round of a comparison, {@code 0} outside one
 * @param figures the measurements in insertion order
 * @param note why it was skipped or what to keep in mind, or {@code null}
 */
public record Result(String system, String scenario, int round, Map<String, Double> figures, String note) {
    public Result {
        figures = new LinkedHashMap<>(figures);
    }

    public static Result skipped(String system, String scenario, int round, String why) {
        return new Result(system, scenario, round, Map.of(), "skipped: " + why);
    }

    public String toConsole() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-6s %-11s", system, scenario));
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            sb.append("  ").append(e.getKey()).append('=').append(format(e.getValue()));
        }
        if (note != null) {
            sb.append("  (").append(note).append(')');
        }
        return sb.toString();
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        // Ratios such as sow_vs_plain need two places: 0.46 and 0.54 both round to 0.5.
        return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%,.2f" : "%,.1f", v);
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"system\":\"").append(system).append("\",\"scenario\":\"")
                .append(scenario).append("\",\"round\":").append(round);
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            sb.append(",\"").append(e.getKey()).append("\":").append(String.format(Locale.ROOT, "%.3f", e.getValue()));
        }
        if (note != null) {
            sb.append(",\"note\":\"").append(note.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append('}').toString();
    }
}
