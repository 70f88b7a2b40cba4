package dev.farad.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FaradUriTest {

    @Test
    void shouldParseFullUri() {
        FaradUri u = FaradUri.parse("tcps://alice:s3cr%40t@broker.example:9443/amps/json?tcp_nodelay=true");
        assertThat(u.transport()).isEqualTo("tcps");
        assertThat(u.host()).isEqualTo("broker.example");
        assertThat(u.port()).isEqualTo(9443);
        assertThat(u.user()).isEqualTo("alice");
        assertThat(u.password()).isEqualTo("s3cr@t");
        assertThat(u.messageType()).isEqualTo("json");
        assertThat(u.options()).containsEntry("tcp_nodelay", "true");
        assertThat(u.isTls()).isTrue();
        assertThat(u.toString()).doesNotContain("s3cr").contains("alice:****@");
    }

    @Test
    void shouldRejectUnknownTransport() {
        assertThatThrownBy(() -> FaradUri.parse("udp://h:1/amps/json"))
                .isInstanceOf(FaradUri.UnsupportedTransportException.class).hasMessageContaining("udp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:9007", "tcp://h/amps/json", "tcp://h:1/", "tcp://h:1/amps",
        "tcp://h:1/other/json", "tcp://h:1/amps/json/x", "tcp://u:secret@h:1/nope"})
    void shouldRejectMalformedUrisWithoutShowingPasswords(String text) {
        assertThatThrownBy(() -> FaradUri.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret"));
    }
}
