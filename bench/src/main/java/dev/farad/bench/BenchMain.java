package dev.farad.bench;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code farad bench} (also {@code java -jar bench/target/farad-bench.jar}): the load tool, the
 * report that turns its JSON lines into a table and a chart, and the JMH micro-benchmarks.
 */
@Command(name = "farad bench", mixinStandardHelpOptions = true, version = "farad bench 0.1.0",
        description = "Measure Farad (and its peers) end to end, or run the JMH micro-benchmarks.",
        subcommands = {RunCommand.class, ReportCommand.class, JmhCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with one-line error reporting; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchMain());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String m = e.getMessage();
            err.println("farad bench " + commandLine.getCommandName() + ": "
                    + (m == null || m.isBlank() ? e.toString() : m));
            err.flush();
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (args.length > 0 && "jmh".equals(args[0])) { // JMH parses its own options
            JmhCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(commandLine().execute(args));
    }
}
