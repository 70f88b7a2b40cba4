package dev.farad.server;

/**
 * Where server tests get their config builder. With {@code -Dfarad.test.engineOnIoThread=true}
 * (the pom's {@code engine-on-io-thread} execution) every test runs with the engine on the I/O
 * thread, so both threading modes pass the same tests.
 */
final class TestConfigs {
    static final String ENGINE_ON_IO_THREAD = "farad.test.engineOnIoThread";

    private TestConfigs() {}

    static BrokerConfig.Builder builder() {
        return BrokerConfig.builder().engineOnIoThread(Boolean.getBoolean(ENGINE_ON_IO_THREAD));
    }
}
