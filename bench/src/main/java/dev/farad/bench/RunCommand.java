package dev.farad.bench;

import dev.farad.bench.load.Driver;
import dev.farad.bench.load.FaradDriver;
import dev.farad.bench.load.MqttDriver;
import dev.farad.bench.load.NatsDriver;
import dev.farad.bench.load.RedisDriver;
import dev.farad.bench.load.Result;
import dev.farad.bench.load.Scenarios;
import dev.farad.bench.load.TempDirectory;
import dev.farad.server.Broker;
import dev.farad.server.BrokerConfig;
import dev.farad.server.SowTopicConfig;
import dev.farad.server.TxLogConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farad bench run}: runs scenarios against one system and prints one line per scenario;
 * with {@code --json FILE} also appends one JSON object per line for {@code farad bench report}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run load scenarios against a broker (Farad, or a peer for comparison).")
final class RunCommand implements Callable<Integer> {
    static final List<String> ALL = List.of("throughput", "latency", "fanout", "persisted", "filtered", "sow",
            "memory");

    @Option(names = "--system", defaultValue = "farad",
            description = "farad | nats | redis | mqtt (default: ${DEFAULT-VALUE})")
    String system;

    @Option(names = {"-u", "--uri"}, description = "server URI (default: the system's local default; "
            + "farad tcp://127.0.0.1:9007/amps/json, nats nats://127.0.0.1:4222, redis redis://127.0.0.1:6379, "
            + "mqtt tcp://127.0.0.1:1883)")
    String uri;

    @Option(names = "--embedded", description = "start a Farad broker in this JVM (with SOW topic bench-sow keyed by "
            + "/id and, when persisted runs, topic bench-persisted logged in a temporary data directory)")
    boolean embedded;

    @Option(names = {"-s", "--scenarios"}, split = ",", defaultValue = "throughput,latency,fanout,persisted,filtered,sow",
            description = "comma list from: throughput (1), latency (2), fanout (3), "
                    + "persisted (4), filtered (5), sow (6), memory (--embedded only) (default: all but memory)")
    List<String> scenarios;

    @Option(names = "--size", defaultValue = "128", description = "payload bytes (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--warmup", defaultValue = "PT2S", description = "unmeasured warm-up per scenario (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "PT5S", description = "measured time per scenario (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--window", defaultValue = "8192",
            description = "most messages sent and not yet received by the slowest subscriber (default: ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--rate", defaultValue = "10000", description = "latency scenario: messages/s (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--subscribers", defaultValue = "10", description = "fan-out subscribers (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(names = "--filters", defaultValue = "1000", description = "filtered fan-out: subscriptions (default: ${DEFAULT-VALUE})")
    int filters;

    @Option(names = "--filter-connections", defaultValue = "10",
            description = "filtered fan-out: connections the subscriptions are spread over (default: ${DEFAULT-VALUE})")
    int filterConnections;

    @Option(names = "--sow-records", defaultValue = "1000000", description = "SOW records to load (default: ${DEFAULT-VALUE})")
    int sowRecords;

    @Option(names = "--idle-connections", defaultValue = "9000",
            description = "memory: idle connections; each takes two file descriptors here (default: ${DEFAULT-VALUE})")
    int idleConnections;

    @Option(names = "--idle-subscriptions", defaultValue = "100000",
            description = "memory: subscriptions over the idle connections (default: ${DEFAULT-VALUE})")
    int idleSubscriptions;

    @Option(names = "--round", defaultValue = "0", description = "round number recorded in the JSON (compare.sh)")
    int round;

    @Option(names = "--json", description = "append one JSON line per scenario to this file")
    Path json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        for (String sc : scenarios) {
            if (!ALL.contains(sc)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "unknown scenario '" + sc + "'; expected one of " + ALL);
            }
        }
        if (embedded && !"farad".equals(system)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--embedded needs --system farad");
        }
        Broker broker = null;
        // Only with persisted: the log's writer thread has no business in the other scenarios' figures.
        TempDirectory brokerData = embedded && scenarios.contains("persisted") ? TempDirectory.create("broker") : null;
        try {
            String target = uri;
            if (embedded) {
                BrokerConfig.Builder config = BrokerConfig.builder().port(0)
                        .sowTopic(SowTopicConfig.keyed("bench-sow", "/id"));
                if (brokerData != null) {
                    config.txLog(TxLogConfig.of(brokerData.path(), Scenarios.PERSISTED_TOPIC));
                }
                broker = Broker.start(config.build());
                target = broker.uri();
            }
            if (target == null) {
                target = switch (system) {
                    case "farad" -> "tcp://127.0.0.1:9007/amps/json";
                    case "nats" -> "nats://127.0.0.1:4222";
                    case "redis" -> "redis://127.0.0.1:6379";
                    case "mqtt" -> "tcp://127.0.0.1:1883";
                    default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "unknown system '" + system + "'; expected farad, nats, redis or mqtt");
                };
            }
            run(out, target, broker);
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (brokerData != null) {
                brokerData.close();
            }
        }
        return 0;
    }

    private void run(PrintWriter out, String target, Broker broker) throws IOException {
        Scenarios.Settings settings = new Scenarios.Settings(size, warmup, duration, window, rate, subscribers,
                filters, filterConnections, sowRecords, round);
        out.printf("farad bench: %s at %s, %d-byte payloads, warm-up %s, measured %s, window %d%s%n", system, target,
                size, warmup, duration, window, embedded ? " (embedded broker)" : "");
        out.flush();
        try (Driver d = driver(system, target)) {
            Scenarios sc = new Scenarios(settings);
            for (String name : scenarios) {
                Result r = switch (name) {
                    case "throughput" -> sc.throughput(d, "throughput", 1);
                    case "latency" -> sc.latency(d);
                    case "fanout" -> sc.throughput(d, "fanout", subscribers);
                    case "persisted" -> d instanceof FaradDriver fd ? sc.persisted(fd)
                            : Result.skipped(system, "persisted", round, system
                                    + " has no persisted acks in this harness (scenario 4 is Farad only)");
                    case "filtered" -> sc.filtered(d);
                    case "sow" -> d instanceof FaradDriver fd ? sc.sow(fd)
                            : Result.skipped(system, "sow", round, system + " has no State of the World");
                    case "memory" -> broker == null
                            ? Result.skipped(system, "memory", round, "needs --embedded (the heap is read in-process)")
                            : sc.memory("127.0.0.1", broker.port(), broker::connectionCount, idleConnections,
                                    idleSubscriptions);
                    default -> throw new IllegalStateException(name);
                };
                out.println(r.toConsole());
                out.flush();
                if (json != null) {
                    Files.writeString(json, r.toJson() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
            }
        }
    }

    static Driver driver(String system, String uri) {
        return switch (system) {
            case "farad" -> new FaradDriver(uri);
            case "nats" -> new NatsDriver(uri);
            case "redis" -> new RedisDriver(uri);
            case "mqtt" -> new MqttDriver(uri);
            default -> throw new IllegalArgumentException("unknown system '" + system + "'");
        };
    }
}
