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
    void shouldRunTheEngineOnItsOwnThreadUnlessToldOtherwise() throws IOException {
        assertThat(BrokerConfig.defaults().engineOnIoThread()).isFalse();
        BrokerConfig c = BrokerConfig.load(file("ioThreads=1\nengineOnIoThread=true\n"));
        assertThat(c.engineOnIoThread()).isTrue();
        assertThat(c.ioThreads()).isEqualTo(1);
        assertThat(c.toBuilder().build().engineOnIoThread()).isTrue();
        assertThat(c.toString()).contains("engineOnIoThread=true");
    }

    @Test
    void shouldRefuseABooleanThatIsNeitherTrueNorFalse() {
        assertThatThrownBy(() -> BrokerConfig.load(file("engineOnIoThread=yes\n")))
                .hasMessageContaining("engineOnIoThread").hasMessageContaining("expected true or false");
    }
}
