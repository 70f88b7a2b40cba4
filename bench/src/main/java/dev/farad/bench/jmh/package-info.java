/**
 * JMH micro-benchmarks of the hot paths that need no broker: frame encode and decode, header
 * parsing, filter evaluation. The broker's own hot path (routing and delivery through the engine)
 * is measured by {@code dev.farad.server.internal.EngineDeliveryBenchmark}, which lives in the
 * engine's package so it can drive the engine without a socket. Run with
 * {@code farad bench jmh -f 1 -wi 2 -i 3 [regex]}.
 */
package dev.farad.bench.jmh;
