package io.tlslens.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Per-listener idle-timeout, plaintext-http-answer, tls.alpn, tls.session-resumption and backend.tls.alpn. */
class ListenerKeysTest {
    @TempDir
    Path dir;
    private Path conf;

    @BeforeEach
    void certs() throws Exception {
        TestPki.writePair(dir.resolve("certs"), "web", "web.example.com");
        conf = dir.resolve("tlslens.conf");
    }

    /** A terminate listener whose lines 4 and on are {@code extra}. */
    private static String listener(String extra) {
        return "tlslens.listeners = [ {\n"
                + "  name = web, bind = \"0.0.0.0:8443\", backend.address = \"127.0.0.1:8080\"\n"
                + "  tls.certificates = [ { cert = \"certs/web.pem\", key = \"certs/web.key\" } ]\n"
                + extra + "\n} ]\n";
    }

    private ListenerSettings load(String text) throws Exception {
        Files.writeString(conf, text);
        return ConfigLoader.load(conf, new FakeCatalog()).listeners().get(0);
    }

    private List<ConfigProblem> problems(String text) throws Exception {
        Files.writeString(conf, text);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(conf, new FakeCatalog()));
        assertThat(e).as("expected an InvalidConfigException").isNotNull();
        return e.problems();
    }

    private void assertProblem(ConfigProblem p, String path, int line, String message, String fix) {
        assertThat(p.path()).isEqualTo(path);
        assertThat(p.origin()).isEqualTo(conf + ":" + line);
        assertThat(p.message()).isEqualTo(message);
        assertThat(p.fix()).isEqualTo(fix);
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
        List<ConfigProblem> ps = problems(listener("""
                  idle-timeout = -1s
                  plaintext-http-answer = sometimes
                  tls.session-resumption = 2
                """));
        assertThat(ps).hasSize(3);
        String l = "tlslens.listeners[0].";
        assertProblem(ps.get(0), l + "idle-timeout", 4, "idle-timeout must be zero or more, found PT-1S", "set a duration such as 10s");
        assertProblem(ps.get(1), l + "plaintext-http-answer", 5, "expected true or false, found string \"sometimes\"",
                "set " + l + "plaintext-http-answer to true or false");
        assertProblem(ps.get(2), l + "tls.session-resumption", 6, "expected true or false, found number 2",
                "set " + l + "tls.session-resumption to true or false");
    }

    @Test
    void alpnIdsMustBeOneTo255Bytes() throws Exception {
        String fix = "list protocol IDs of 1 to 255 bytes, e.g. alpn = [\"h2\", \"http/1.1\"], or remove the key for no ALPN";
        List<ConfigProblem> ps = problems(listener("""
                  tls.alpn = ["h2",
                    "",
                    "%s",
                    "%s"]
                  backend.tls.alpn = [{ name = h2 }]
                """.formatted("x".repeat(255), "é".repeat(128))));
        assertThat(ps).hasSize(3);
        String l = "tlslens.listeners[0].";
        assertProblem(ps.get(0), l + "tls.alpn[1]", 5, "an ALPN protocol ID must be 1 to 255 bytes, found 0 bytes", fix);
        // 128 characters, but 256 bytes in UTF-8: the limit is on bytes
        assertProblem(ps.get(1), l + "tls.alpn[3]", 7, "an ALPN protocol ID must be 1 to 255 bytes, found 256 bytes", fix);
        assertProblem(ps.get(2), l + "backend.tls.alpn[0]", 8, "expected a protocol ID, found object {\"name\":\"h2\"}", fix);
    }

    @Test
    void alpnMustBeAList() throws Exception {
        List<ConfigProblem> ps = problems(listener("  tls.alpn = h2"));
        assertThat(ps).hasSize(1);
        assertProblem(ps.get(0), "tlslens.listeners[0].tls.alpn", 4, "expected a list of protocol IDs, found string \"h2\"",
                "set tlslens.listeners[0].tls.alpn to a list of protocol IDs");
    }

    @Test
    void misspelledNewKeysGetASuggestion() throws Exception {
        List<ConfigProblem> ps = problems(listener("""
                  idle-timout = 5m
                  tls.session-resumtion = false
                """));
        assertThat(ps).extracting(ConfigProblem::fix)
                .containsExactly("did you mean 'idle-timeout'?", "did you mean 'session-resumption'?");
    }
}
