/**
 * The end-to-end load tool: one harness, one {@link dev.farad.bench.load.Driver} per messaging
 * system (Farad, NATS, Redis pub/sub, MQTT), and the scenarios of issue #8. Publisher and
 * subscribers run in this JVM, so publish-to-receive times come from one {@code System.nanoTime()}
 * clock.
 */
package dev.farad.bench.load;
