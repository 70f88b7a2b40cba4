package dev.farad.cli;

import dev.farad.client.Client;
import dev.farad.client.Message;
import dev.farad.client.MessageStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farad subscribe -t TOPIC [-f FILTER] [--count N]}: prints each message's data on one line
 * of standard output (pipe-friendly), until {@code --count} messages or until interrupted.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = "Print messages of a topic (or topic regex), one per line.")
final class SubscribeCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = {"-t", "--topic"}, required = true, description = "topic or regular expression, e.g. 'orders.*'")
    String topic;

    @Option(names = {"-f", "--filter"}, description = "content filter, e.g. \"/qty > 100\"")
    String filter;

    @Option(names = {"-n", "--count"}, description = "stop after this many messages (default: run until interrupted)")
    Long count;

    @Option(names = "--show-topic", description = "prefix each line with the message's topic and a tab")
    boolean showTopic;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long received = 0;
        try (Client client = connection.connect("sub");
                MessageStream stream = client.subscribe(topic, filter)) {
            for (Message m : stream) {
                if (showTopic) {
                    out.print(m.topic());
                    out.print('\t');
                }
                out.println(m.dataAsString());
                out.flush();
                received++;
                if (count != null && received >= count) {
                    break;
                }
            }
        }
        return 0;
    }
}
