package dev.farad.cli;

import dev.farad.client.Client;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code farad publish -t TOPIC [--data D]}: publishes one message, or one message per line of
 * standard input, then waits until the broker has processed them all.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish --data, or each line of standard input, to a topic.")
final class PublishCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = {"-t", "--topic"}, required = true, description = "topic to publish to")
    String topic;

    @Option(names = {"-d", "--data"}, description = "the message (default: read lines from standard input)")
    String data;

    @Option(names = {"-k", "--sow-key"}, description = "record key for a user-keyed State of the World")
    String sowKey;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    InputStream stdin = System.in;

    private final java.util.List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Integer call() throws IOException {
        long count = 0;
        try (Client client = connection.connect("pub")) {
            if (data != null) {
                send(client, data);
                count = 1;
            } else {
                BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty()) {
                        send(client, line);
                        count++;
                    }
                }
            }
            client.flush(connection.timeout);
        }
        // The flush's ack came after every publish's, and handlers run in order before it returns.
        if (!refused.isEmpty()) {
            throw new IllegalStateException(refused.size() + " of " + count + " message" + (count == 1 ? "" : "s")
                    + " refused by the broker: " + refused.get(0));
        }
        spec.commandLine().getErr().println("published " + count + " message" + (count == 1 ? "" : "s")
                + " to '" + topic + "'");
        spec.commandLine().getErr().flush();
        return 0;
    }

    /**
     * Publishes with a processed ack, so that a refusal (a pattern for a topic, a missing SOW key,
     * no entitlement) is reported instead of dropped as a fire-and-forget publish would be.
     */
    private void send(Client client, String message) {
        dev.farad.client.Command publish = new dev.farad.client.Command("publish").topic(topic)
                .data(message.getBytes(StandardCharsets.UTF_8)).addAckType(dev.farad.protocol.AckType.PROCESSED);
        if (sowKey != null) {
            publish.sowKey(sowKey);
        }
        client.executeAsync(publish, ack -> {
            if (ack.isFailure()) {
                refused.add(ack.reason());
            }
        });
    }
}
