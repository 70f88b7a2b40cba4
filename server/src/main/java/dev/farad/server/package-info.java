/**
 * The embeddable Farad broker: {@link dev.farad.server.Broker#start(BrokerConfig)} starts it,
 * {@link dev.farad.server.BrokerConfig} configures it, {@link dev.farad.server.Authenticator}
 * decides who may log on. The machinery (transport, engine thread, routing) lives in {@code
 * dev.farad.server.internal}.
 */
package dev.farad.server;
