package dev.farad.examples;

import dev.farad.client.Client;
import dev.farad.client.Message;
import java.io.IOException;
import java.time.Duration;

/**
 * Example 5.5: where do exceptions go? Messages arrive on the client's dispatch thread while the
 * main thread waits for a key. An exception there has no caller to reach, so without an exception
 * listener (Example 5.6) it is dropped.
 */
public final class WhereDoExceptionsGo {
    private WhereDoExceptionsGo() {}

    static void onMessage(Message message) {
        System.out.println(message.dataAsString());
    }

    static void waitToBePoked(Client client) throws IOException {
        client.subscribe(WhereDoExceptionsGo::onMessage, "pokes",
                "/Pokee LIKE '" + System.getProperty("user.name") + "'", Duration.ofSeconds(5));
        System.out.println("Press Enter to exit");
        System.in.read();
    }

    public static void main(String[] args) throws IOException {
        try (Client client = new Client("example-5-5")) {
            client.connect(Examples.uri(args));
            client.logon();
            waitToBePoked(client);
        }
    }
}
