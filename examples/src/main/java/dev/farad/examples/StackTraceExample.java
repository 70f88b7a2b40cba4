package dev.farad.examples;

import dev.farad.client.Client;
import dev.farad.client.ExceptionListener;
import dev.farad.client.Message;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Example 5.7: the stack trace of an absorbed exception. The handler always throws; the exception
 * listener receives the exception with its stack trace and prints it.
 */
public final class StackTraceExample {
    private StackTraceExample() {}

    static void handler(Message message) {
        System.out.println(message);
        throw new IllegalStateException("in my handler");
    }

    /** Subscribes a throwing handler, publishes once and flushes; absorbed exceptions go to {@code listener}. */
    static void run(String uri, ExceptionListener listener) {
        try (Client client = new Client("example-5-7")) {
            client.setExceptionListener(listener);
            client.connect(uri);
            client.logon();
            client.subscribe(StackTraceExample::handler, "topic", null, Duration.ofSeconds(5));
            client.publish("topic", "data");
            client.flush(Duration.ofSeconds(5));
        }
    }

    static ExceptionListener printingTo(PrintStream out) {
        return e -> {
            out.println("EXCEPTION RECEIVED " + e);
            e.printStackTrace(out);
        };
    }

    public static void main(String[] args) {
        run(Examples.uri(args), printingTo(System.out));
    }
}
