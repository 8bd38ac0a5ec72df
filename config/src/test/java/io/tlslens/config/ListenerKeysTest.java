package io.tlslens.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-listener idle-timeout, plaintext-http-answer, tls.alpn, tls.session-resumption and backend.tls.alpn. */
class ListenerKeysTest {
    @TempDir
    Path dir;
    private ConfFile conf;

    @BeforeEach
    void certs() throws Exception {
        conf = ConfFile.withWebPair(dir);
    }

    private static String listener(String extra) {
        return ConfFile.webListener(extra);
    }

    private ListenerSettings load(String text) throws Exception {
        return conf.load(text).listeners().get(0);
    }

    @Test
    void defaults() throws Exception {
        ListenerSettings l = load(listener(""));
        assertThat(l.idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(l.plaintextHttpAnswer()).isTrue();
        assertThat(l.tls().alpn()).isEmpty();
        assertThat(l.tls().sessionResumption()).isTrue();
        assertThat(l.backend().tls().alpn()).isEmpty();
    }

    @Test
    void valuesAreReadAndRoutesInheritTheBackendAlpn() throws Exception {
        ListenerSettings l = load(listener("""
                  idle-timeout = 90s
                  plaintext-http-answer = false
                  tls { alpn = ["h2", "http/1.1"], session-resumption = false }
                  backend.tls.alpn = ["http/1.1"]
                  routes = [ { server-names = ["api.example.com"], backend.address = "127.0.0.1:9443" } ]
                """));
        assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(l.plaintextHttpAnswer()).isFalse();
        assertThat(l.tls().alpn()).containsExactly("h2", "http/1.1");
        assertThat(l.tls().sessionResumption()).isFalse();
        assertThat(l.backend().tls().alpn()).containsExactly("http/1.1");
        assertThat(l.routes().get(0).backend().tls().alpn()).containsExactly("http/1.1");
    }

    @Test
    void idleTimeoutZeroIsOffAndListenerDefaultsApply() throws Exception {
        ListenerSettings l = load("tlslens.listener-defaults { idle-timeout = 0, tls.alpn = [\"http/1.1\"] }\n" + listener(""));
        assertThat(l.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(l.tls().alpn()).containsExactly("http/1.1");
    }

    @Test
    void wrongValuesAreOneProblemEach() throws Exception {
        List<ConfigProblem> ps = conf.problems(listener("""
                  idle-timeout = -1s
                  plaintext-http-answer = sometimes
                  tls.session-resumption = 2
                """));
        assertThat(ps).hasSize(3);
        String l = "tlslens.listeners[0].";
        conf.assertProblem(ps.get(0), l + "idle-timeout", 4, "idle-timeout must be zero or more, found PT-1S", "set a duration such as 10s");
        conf.assertProblem(ps.get(1), l + "plaintext-http-answer", 5, "expected true or false, found string \"sometimes\"",
                "set " + l + "plaintext-http-answer to true or false");
        conf.assertProblem(ps.get(2), l + "tls.session-resumption", 6, "expected true or false, found number 2",
                "set " + l + "tls.session-resumption to true or false");
    }

    @Test
    void alpnIdsMustBeOneTo255Bytes() throws Exception {
        String fix = "list protocol IDs of 1 to 255 bytes, e.g. alpn = [\"h2\", \"http/1.1\"], or remove the key for no ALPN";
        List<ConfigProblem> ps = conf.problems(listener("""
                  tls.alpn = ["h2",
                    "",
                    "%s",
                    "%s"]
                  backend.tls.alpn = [{ name = h2 }]
                """.formatted("x".repeat(255), "é".repeat(128))));
        assertThat(ps).hasSize(3);
        String l = "tlslens.listeners[0].";
        conf.assertProblem(ps.get(0), l + "tls.alpn[1]", 5, "an ALPN protocol ID must be 1 to 255 bytes, found 0 bytes", fix);
        // 128 characters, but 256 bytes in UTF-8: the limit is on bytes
        conf.assertProblem(ps.get(1), l + "tls.alpn[3]", 7, "an ALPN protocol ID must be 1 to 255 bytes, found 256 bytes", fix);
        conf.assertProblem(ps.get(2), l + "backend.tls.alpn[0]", 8, "expected a protocol ID, found object {\"name\":\"h2\"}", fix);
    }

    @Test
    void alpnMustBeAList() throws Exception {
        conf.assertProblem(conf.onlyProblem(listener("  tls.alpn = h2")), "tlslens.listeners[0].tls.alpn", 4, "expected a list of protocol IDs, found string \"h2\"",
                "set tlslens.listeners[0].tls.alpn to a list of protocol IDs");
    }

    @Test
    void misspelledNewKeysGetASuggestion() throws Exception {
        List<ConfigProblem> ps = conf.problems(listener("""
                  idle-timout = 5m
                  tls.session-resumtion = false
                """));
        assertThat(ps).extracting(ConfigProblem::fix)
                .containsExactly("did you mean 'idle-timeout'?", "did you mean 'session-resumption'?");
    }
}
