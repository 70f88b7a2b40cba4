package dev.farad.cli;

import dev.farad.client.Client;
import dev.farad.client.Command;
import dev.farad.client.Message;
import dev.farad.client.MessageStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farad sow -t TOPIC [-f FILTER] [--top-n N] [--orderby SPEC]}: prints the records of a State
 * of the World, one per line.
 */
@picocli.CommandLine.Command(name = "sow", mixinStandardHelpOptions = true,
        description = "Print the current records of a State of the World topic, one per line.")
final class SowCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = {"-t", "--topic"}, required = true, description = "SOW topic or regular expression")
    String topic;

    @Option(names = {"-f", "--filter"}, description = "content filter, e.g. \"/qty > 100\"")
    String filter;

    @Option(names = "--top-n", description = "return at most this many records")
    Long topN;

    @Option(names = "--orderby", description = "sort, e.g. \"/qty DESC, /id\"")
    String orderBy;

    @Option(names = "--show-key", description = "prefix each line with the record's key and a tab")
    boolean showKey;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Command query = new Command("sow").topic(topic).filter(filter).orderBy(orderBy).batchSize(100)
                .timeout(connection.timeout);
        if (topN != null) {
            query.topN(topN);
        }
        try (Client client = connection.connect("sow"); MessageStream records = client.execute(query)) {
            for (Message m : records) {
                if (m.command().equals("group_end")) {
                    break;
                }
                if (m.command().equals("sow")) {
                    if (showKey) {
                        out.print(m.sowKey());
                        out.print('\t');
                    }
                    out.println(m.dataAsString());
                }
            }
            out.flush();
        }
        return 0;
    }
}
