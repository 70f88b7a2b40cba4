package dev.farad.server;

/**
 * Where server tests get their config builder. With {@code -Dfarad.test.engineThread=other} (the
 * pom's {@code other-engine-thread} execution) every test runs with the engine where this
 * machine's default does not put it, so both threading modes pass the same tests.
 */
final class TestConfigs {
    private TestConfigs() {}

    static BrokerConfig.Builder builder() {
        BrokerConfig.Builder b = BrokerConfig.builder();
        if ("other".equals(System.getProperty("farad.test.engineThread"))) {
            b.engineThread(BrokerConfig.defaults().engineOnIoThread() ? EngineThread.OWN : EngineThread.IO_THREAD);
        }
        return b;
    }
}
