package dev.farad.examples;

import dev.farad.client.Client;
import dev.farad.client.MessageStream;
import dev.farad.client.exceptions.BadRegexTopicException;
import dev.farad.client.exceptions.FaradException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Example 5.2: handling subclasses differently. Asks for a topic (or regular expression) until the
 * subscription works; a bad regular expression asks again, any other failure gives up.
 */
public final class HandlingExceptionSubclasses {
    private HandlingExceptionSubclasses() {}

    /** Returns a stream for a topic read from {@code in}, or {@code null} if subscribing failed. */
    static MessageStream createNewSubscription(Client client, BufferedReader in, PrintStream out)
            throws IOException {
        MessageStream messageStream = null;
        String topicName = null;

        while (messageStream == null) {
            // attempts to retrieve a topic name (or regular expression) from the user.
            out.println("Please enter a topic name");
            topicName = in.readLine();
            if (topicName == null) {
                return null;
            }
            try {
                // If subscribing fails, the type of the exception decides whether to try again.
                messageStream = client.subscribe(topicName, null);
            } catch (BadRegexTopicException e) {
                // A bad regular expression: let the user correct it, so loop again.
                out.println("Error: bad topic name or regular expression " + topicName
                        + ".  The exception was " + e + ".");
            } catch (FaradException e) {
                // Any other failure: report it and stop trying.
                out.println("Error: error setting up subscription to topic " + topicName
                        + ".  The exception was " + e + ".");
                return null;
            }
        }
        return messageStream;
    }

    public static void main(String[] args) throws IOException {
        try (Client client = new Client("example-5-2")) {
            client.connect(Examples.uri(args));
            client.logon();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (MessageStream stream = createNewSubscription(client, in, System.out)) {
                if (stream != null) {
                    System.out.println("Subscribed: " + stream.commandId());
                }
            }
        }
    }
}
