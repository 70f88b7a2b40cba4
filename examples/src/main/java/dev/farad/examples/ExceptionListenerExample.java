package dev.farad.examples;

import dev.farad.client.Client;
import java.io.IOException;

/**
 * Example 5.6: an exception listener. Registering one before Example 5.5's subscription makes the
 * exceptions absorbed on the dispatch thread visible: here they are printed to the console.
 */
public final class ExceptionListenerExample {
    private ExceptionListenerExample() {}

    static void onException(Throwable e) {
        System.out.println("Exception occurred: " + e);
    }

    static void waitToBePoked(Client client) throws IOException {
        client.setExceptionListener(ExceptionListenerExample::onException);
        // The rest is Example 5.5: an asynchronous subscription, so the main thread can read input.
        WhereDoExceptionsGo.waitToBePoked(client);
    }

    public static void main(String[] args) throws IOException {
        try (Client client = new Client("example-5-6")) {
            client.connect(Examples.uri(args));
            client.logon();
            waitToBePoked(client);
        }
    }
}
