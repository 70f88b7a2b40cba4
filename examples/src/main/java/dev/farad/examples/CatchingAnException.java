package dev.farad.examples;

import dev.farad.client.Client;
import dev.farad.client.exceptions.FaradException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Example 5.1: catching an exception. Reads a line, publishes it as a JSON message, and reports a
 * failure on stderr; the client stays usable for further publishes and subscribes.
 */
public final class CatchingAnException {
    private CatchingAnException() {}

    /**
     * Reads one payload from {@code in} and publishes it to {@code UserMessage}.
     *
     * @return whether the publish was handed to the client
     */
    static boolean readAndEvaluate(Client client, BufferedReader in, PrintStream err) throws IOException {
        // read a new payload from the user
        System.out.println("Please enter a message");
        String payload = in.readLine();

        // write a new message to the broker
        if (payload != null && !payload.isEmpty()) {
            try {
                client.publish("UserMessage", "{ \"message\" : \"" + payload + "\" }");
                return true;
            } catch (FaradException e) {
                err.println("A Farad exception occurred: " + e);
            }
        }
        return false;
    }

    public static void main(String[] args) throws IOException {
        try (Client client = new Client("example-5-1")) {
            client.connect(Examples.uri(args));
            client.logon();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            readAndEvaluate(client, in, System.err);
        }
    }
}
