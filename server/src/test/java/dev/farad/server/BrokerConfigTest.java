package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void shouldRefuseAnUnknownEngineThread() {
        assertThatThrownBy(() -> BrokerConfig.load(file("engineThread=yes\n")))
                .hasMessageContaining("engineThread").hasMessageContaining("expected auto, own or io");
    }
}
