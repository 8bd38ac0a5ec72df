package io.tlslens.proxy;

import io.tlslens.config.ConfigLoader;
import io.tlslens.config.TlslensSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The example configurations load and validate as written (certificate paths included). */
class ExamplesConfigIT {
    @Test
    void terminateExampleLoads() throws Exception {
        TlslensSettings s = ConfigLoader.load(Path.of("..", "examples", "terminate.conf"));
        assertThat(s.listeners()).extracting(l -> l.name()).containsExactly("web", "strict");
        assertThat(s.listeners().get(1).tls().requireSni()).isTrue();
        assertThat(s.listeners().get(0).tls().certificates().get(0).chain()).hasSize(1);
    }

    @Test
    void reencryptExampleLoads() throws Exception {
        TlslensSettings s = ConfigLoader.load(Path.of("..", "examples", "reencrypt.conf"));
        assertThat(s.listeners()).extracting(l -> l.name()).containsExactly("reencrypt", "egress");
        assertThat(s.listeners().get(0).backend().tls().enabled()).isTrue();
        assertThat(s.listeners().get(0).backend().tls().trustCertificates()).hasSize(1);
        assertThat(s.listeners().get(1).mode().label()).isEqualTo("originate");
    }

    @Test
    void passthroughExampleLoads() throws Exception {
        TlslensSettings s = ConfigLoader.load(Path.of("..", "examples", "passthrough.conf"));
        assertThat(s.listeners()).extracting(l -> l.name()).containsExactly("edge", "routed-only");
        assertThat(s.listeners().get(0).routes().get(0).serverNames()).containsExactly("strict.localhost", "*.strict.localhost");
        assertThat(s.listeners().get(1).backend().none()).isTrue();
    }
}
