package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BrokerConfigTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("broker.properties");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void shouldPutTheEngineOnTheIoThreadOnlyWhenThereIsOneUnlessTold() throws IOException {
        assertThat(BrokerConfig.defaults().engineThread()).isEqualTo(EngineThread.AUTO);
        assertThat(BrokerConfig.load(file("ioThreads=1\n")).engineOnIoThread()).isTrue();
        assertThat(BrokerConfig.load(file("ioThreads=2\n")).engineOnIoThread()).isFalse();
        assertThat(BrokerConfig.load(file("ioThreads=2\nengineThread=io\n")).engineOnIoThread()).isTrue();
        assertThat(BrokerConfig.load(file("ioThreads=1\nengineThread=own\n")).engineOnIoThread()).isFalse();
        BrokerConfig c = BrokerConfig.load(file("engineThread=io\n"));
        assertThat(c.engineThread()).isEqualTo(EngineThread.IO_THREAD);
        assertThat(c.toBuilder().build().engineThread()).isEqualTo(EngineThread.IO_THREAD);
        assertThat(c.toString()).contains("engineThread=IO_THREAD");
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(BrokerConfig.defaults().ioThreadCount()).isEqualTo(cores <= 2 ? 1 : cores);
        assertThat(BrokerConfig.defaults().engineOnIoThread()).isEqualTo(cores <= 2);
    }

    @Test
    void shouldReadAndCheckTheRowsAConnectionsQueriesMayHold() throws IOException {
        assertThat(BrokerConfig.defaults().maxQueryRowsPerConnection()).isEqualTo(10_000_000L);
        BrokerConfig c = BrokerConfig.load(file("maxQueryRowsPerConnection=2500000\n"));
        assertThat(c.maxQueryRowsPerConnection()).isEqualTo(2_500_000L);
        assertThat(c.toBuilder().build().maxQueryRowsPerConnection()).isEqualTo(2_500_000L);
        assertThat(c.toString()).contains("maxQueryRowsPerConnection=2500000");
        assertThatThrownBy(() -> BrokerConfig.builder().maxQueryRowsPerConnection(0).build())
                .hasMessage("maxQueryRowsPerConnection must be > 0 but was 0");
    }

    @Test
    void shouldRefuseAnUnknownEngineThread() {
        assertThatThrownBy(() -> BrokerConfig.load(file("engineThread=yes\n")))
                .hasMessageContaining("engineThread").hasMessageContaining("expected auto, own or io");
    }

    @Test
    void shouldDeclareARegexSowWithACompositeKeyAndExpirationFromAFile() throws IOException {
        // A properties file unescapes backslashes, so "pos\\..*" in the file is the regex pos\..*.
        BrokerConfig c = BrokerConfig.load(file("sow.a.topic=pos\\\\..*\nsow.a.key=/region,/id\n"
                + "sow.a.expiration=PT30S\n"));
        assertThat(c.sowTopics()).containsExactly(
                new SowTopicConfig("pos\\..*", List.of("/region", "/id"), Duration.ofSeconds(30)));
    }

    @Test
    void shouldRefuseASowExpirationThatIsNotAnIsoDuration() {
        assertThatThrownBy(() -> BrokerConfig.load(file("sow.a.topic=orders\nsow.a.expiration=30\n")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sow 'a'")
                .hasMessageContaining("Text cannot be parsed to a Duration");
    }
}
