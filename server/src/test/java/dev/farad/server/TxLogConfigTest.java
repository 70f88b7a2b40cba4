package dev.farad.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.farad.store.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TxLogConfigTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("broker.properties");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void shouldHaveNoLogWithoutDataDirectory() throws IOException {
        assertThat(BrokerConfig.defaults().txLog()).isNull();
        assertThat(BrokerConfig.load(file("port=9100\n")).txLog()).isNull();
    }

    @Test
    void shouldLoadLoggedTopicsAndSettings() throws IOException {
        BrokerConfig c = BrokerConfig.load(file("""
                dataDirectory=%s
                log.orders.topic=orders.*
                log.events.topic=events
                logSegmentBytes=1048576
                logRetentionBytes=1073741824
                logRetentionAge=PT24H
                logFsync=never
                """.formatted(dir.resolve("data").toString().replace("\\", "/"))));
        TxLogConfig log = c.txLog();
        assertThat(log.topics()).containsExactly("events", "orders.*");
        assertThat(log.logDirectory()).isEqualTo(dir.resolve("data").resolve("txlog"));
        assertThat(log.segmentBytes()).isEqualTo(1 << 20);
        assertThat(log.retentionBytes()).isEqualTo(1L << 30);
        assertThat(log.retentionAge()).isEqualTo(Duration.ofHours(24));
        assertThat(log.fsyncPolicy()).isEqualTo(FsyncPolicy.NEVER);
        assertThat(c.toBuilder().build().txLog()).isEqualTo(log);
    }

    @Test
    void shouldNameTheProblem() throws IOException {
        assertThatThrownBy(() -> BrokerConfig.load(file("log.a.topic=x\n")))
                .hasMessageContaining("need dataDirectory");
        assertThatThrownBy(() -> BrokerConfig.load(file("dataDirectory=d\n")))
                .hasMessageContaining("no log.<name>.topic");
        assertThatThrownBy(() -> BrokerConfig.load(file("dataDirectory=d\nlog.a.topic=x\nlogSegmentBytes=12\n")))
                .hasMessageContaining("segmentBytes must be between");
        assertThatThrownBy(() -> BrokerConfig.load(file("log.a.key=x\n")))
                .hasMessageContaining("log.<name>.topic");
    }
}
