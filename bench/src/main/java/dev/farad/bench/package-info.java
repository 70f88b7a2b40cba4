/**
 * Farad's load tool ({@code farad bench}), the side-by-side harness for NATS, Redis and Mosquitto,
 * and JMH micro-benchmarks of the broker's hot paths. Nothing here is used by the broker or client.
 */
package dev.farad.bench;
