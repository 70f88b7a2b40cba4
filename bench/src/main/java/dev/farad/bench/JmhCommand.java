package dev.farad.bench;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code farad bench jmh [JMH options] [regex]}: runs the micro-benchmarks of this jar through
 * JMH's own command line, e.g. {@code jmh -f 1 -wi 2 -i 3 -prof gc EngineDelivery}. The arguments
 * go to JMH untouched ({@link BenchMain#main} hands them over before picocli sees them).
 */
@Command(name = "jmh", description = "Run the JMH micro-benchmarks: farad bench jmh [JMH options] [regex] (see jmh -h).")
final class JmhCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", description = "JMH arguments")
    List<String> args = List.of();

    @Override
    public Integer call() throws Exception {
        run(args.toArray(String[]::new));
        return 0;
    }

    static void run(String[] jmhArgs) {
        try {
            org.openjdk.jmh.Main.main(jmhArgs); // exits the JVM itself when done
        } catch (Exception e) {
            throw new IllegalStateException("jmh failed: " + e, e);
        }
    }
}
