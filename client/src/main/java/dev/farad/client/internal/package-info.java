/**
 * The client's machinery, not for applications: one {@link dev.farad.client.internal.Connection}
 * (socket and receive thread) per connect, the {@link dev.farad.client.internal.Dispatcher} thread
 * for handlers and listeners, the {@link dev.farad.client.internal.Router} that sends inbound
 * messages to routes, pending commands and handlers, the {@link
 * dev.farad.client.internal.StreamQueue} behind message
 * streams, and the {@link dev.farad.client.internal.FailureMapping} from failure reasons to
 * exceptions.
 */
package dev.farad.client.internal;
