package dev.farad.examples;

/** What the examples share. */
final class Examples {
    /** The broker the examples talk to unless given another URI. */
    static final String DEFAULT_URI = "tcp://127.0.0.1:9007/amps/json";

    private Examples() {}

    /** The first argument, or {@link #DEFAULT_URI}. */
    static String uri(String[] args) {
        return args.length > 0 ? args[0] : DEFAULT_URI;
    }
}
