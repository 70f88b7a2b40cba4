package dev.farad.client;

import dev.farad.testsupport.ScriptedBroker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The broker the behaviour tests talk to, one per test: {@code @RegisterExtension TestBroker broker
 * = new TestBroker();} then {@code broker.uri()}. Backed by {@link ScriptedBroker} until the real
 * broker's {@code BrokerExtension} is available; behaviour tests use only {@link #uri()}, which the
 * real fixture offers too, so switching is a change of field type.
 */
public final class TestBroker implements BeforeEachCallback, AfterEachCallback {
    private ScriptedBroker broker;

    @Override
    public void beforeEach(ExtensionContext context) {
        broker = ScriptedBroker.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        broker.close();
    }

    /** {@code tcp://127.0.0.1:<port>/amps/json}. */
    public String uri() {
        return broker.uri();
    }

    /** The port. */
    public int port() {
        return broker.port();
    }

    /** Drops every connection (the broker keeps listening). */
    public void dropConnections() {
        broker.closeConnections();
    }

    /** The scripted broker underneath, for fault tests. */
    public ScriptedBroker scripted() {
        return broker;
    }
}
