/**
 * The Farad client API: {@link dev.farad.client.Client} (connect, logon, publish, subscribe,
 * query), {@link dev.farad.client.Command}, {@link dev.farad.client.Message}, {@link
 * dev.farad.client.MessageStream}, the handler and listener interfaces, connection states, and the
 * HA plug points ({@link dev.farad.client.PublishStore}, {@link
 * dev.farad.client.SubscriptionManager}), and {@link dev.farad.client.HAClient} with its server
 * chooser, delay strategies, publish and bookmark stores (see {@code docs/HA.md}). Exceptions live in {@code dev.farad.client.exceptions};
 * the machinery in {@code dev.farad.client.internal}. See {@code docs/CLIENT.md} and {@code
 * docs/THREADING.md}.
 */
package dev.farad.client;
