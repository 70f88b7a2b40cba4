package dev.farad.server.internal;

/** A compiled content filter over a message payload. Thread-safe; evaluated on the engine thread. */
@FunctionalInterface
interface MessageFilter {
    boolean matches(byte[] data, int offset, int length);
}
