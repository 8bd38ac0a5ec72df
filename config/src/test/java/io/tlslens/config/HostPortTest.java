package io.tlslens.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HostPortTest {
    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:8443, 127.0.0.1, 8443, 127.0.0.1:8443",
            "0.0.0.0:0, 0.0.0.0, 0, 0.0.0.0:0",
            "Backend.Internal:65535, backend.internal, 65535, backend.internal:65535",
            "[::1]:443, ::1, 443, [::1]:443",
            "[::]:8443, ::, 8443, [::]:8443",
            "[fe80::1%eth0]:80, fe80::1%eth0, 80, [fe80::1%eth0]:80",
    })
    void parsesAndPrintsBack(String text, String host, int port, String printed) {
        HostPort hp = HostPort.parse(text);
        assertThat(hp.host()).isEqualTo(host);
        assertThat(hp.port()).isEqualTo(port);
        assertThat(hp.toString()).isEqualTo(printed);
        assertThat(HostPort.parse(hp.toString())).isEqualTo(hp);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", ":8443", "host:", "host:-1", "host:65536", "host:12x", "::1:443",
            "[::1]", "[::1:443", "[nothost]:1", "bad host:1", "host:99999999999"})
    void rejectsMalformed(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse(text)).withMessageNotContaining("null");
    }

    @Test
    void messagesSayWhatIsExpected() {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("::1:443")).withMessageContaining("[::1]:443");
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("localhost")).withMessageContaining("missing port");
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("8443")).withMessageContaining("missing host")
                .withMessageContaining("\"0.0.0.0:8443\"");
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse("h:70000")).withMessageContaining("0..65535");
        assertThatIllegalArgumentException().isThrownBy(() -> new HostPort("h", 70000));
    }

    @Test
    void socketAddressAndWildcard() {
        assertThat(HostPort.parse("127.0.0.1:9").toSocketAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(HostPort.parse("127.0.0.1:9").toSocketAddress().getPort()).isEqualTo(9);
        assertThat(HostPort.parse("0.0.0.0:1").isWildcard()).isTrue();
        assertThat(HostPort.parse("[::]:1").isWildcard()).isTrue();
        assertThat(HostPort.parse("10.0.0.1:1").isWildcard()).isFalse();
        assertThat(Mode.PASSTHROUGH.label()).isEqualTo("passthrough");
    }
}
