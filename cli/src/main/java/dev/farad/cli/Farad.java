package dev.farad.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code farad} command: the entry point of the runnable jar and of the {@code ./farad}
 * launcher. Each subcommand is a small class; this one only dispatches and turns failures into
 * one line on stderr and a non-zero exit code.
 *
 * <p>Runs on the caller's thread.
 */
@Command(name = "farad", mixinStandardHelpOptions = true, version = "farad 0.1.0",
        description = "Farad: a messaging broker and client for latency- and loss-sensitive systems.",
        subcommands = {ServerCommand.class, PublishCommand.class, SubscribeCommand.class, SowCommand.class,
            SowDeleteCommand.class, PingCommand.class, PasswdCommand.class,
            CommandLine.HelpCommand.class})
public final class Farad implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with Farad's error handling; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Farad());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("farad " + commandLine.getCommandName() + ": " + describe(e));
            err.flush();
            return 1;
        });
        // One line for a mistyped command too, not the whole usage text.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            PrintWriter err = c.getErr();
            String name = c == cl ? "farad" : "farad " + c.getCommandName();
            err.println(name + ": " + e.getMessage() + " (see " + name + " --help)");
            err.flush();
            return 2;
        });
        return cl;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !ServerCommand.keepRunning()) {
            System.exit(code);
        }
    }
}
