package dev.farad.cli;

import dev.farad.client.Client;
import dev.farad.client.Command;
import dev.farad.client.Message;
import dev.farad.client.MessageStream;
import dev.farad.protocol.AckType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code farad sow-delete -t TOPIC (-f FILTER | --keys K,.. | --data D)}: deletes records, prints how many. */
@picocli.CommandLine.Command(name = "sow-delete", mixinStandardHelpOptions = true,
        description = "Delete State of the World records by filter, keys or data; prints how many were deleted.")
final class SowDeleteCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = {"-t", "--topic"}, required = true, description = "SOW topic or regular expression")
    String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = {"-f", "--filter"}, description = "delete records matching this filter ('1=1' for all)")
        String filter;

        @Option(names = "--keys", description = "comma list of record keys (as printed by sow --show-key)")
        String keys;

        @Option(names = "--data", description = "delete the record this message's key names")
        String data;
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Command delete = new Command("sow_delete").topic(topic).filter(which.filter).sowKeys(which.keys)
                .addAckType(AckType.STATS).timeout(connection.timeout);
        if (which.data != null) {
            delete.data(which.data.getBytes(StandardCharsets.UTF_8));
        }
        long deleted = 0;
        try (Client client = connection.connect("sow-delete"); MessageStream acks = client.execute(delete)) {
            for (Message m : acks) {
                if (m.ackType() == AckType.STATS) {
                    deleted = m.stats() == null ? 0 : m.stats().recordsDeleted();
                    break;
                }
            }
        }
        spec.commandLine().getOut().println("deleted " + deleted + " record" + (deleted == 1 ? "" : "s"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
