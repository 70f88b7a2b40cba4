/**
 * The broker's machinery. {@link dev.farad.server.internal.Transport} accepts connections on Netty
 * I/O threads; {@link dev.farad.server.internal.ConnectionHandler} decodes frames, answers
 * heartbeats and hands every other frame to the single {@link dev.farad.server.internal.Engine}
 * thread, which owns all shared state (names, subscriptions, the {@link
 * dev.farad.server.internal.TopicIndex}) and writes replies and deliveries into per-connection
 * batches that the I/O threads flush. See {@code docs/ARCHITECTURE.md} and {@code
 * docs/THREADING.md}.
 */
package dev.farad.server.internal;
