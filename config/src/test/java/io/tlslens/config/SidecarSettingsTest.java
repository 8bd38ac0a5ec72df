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

/** The sidecar runtime keys (reload-interval, PROXY protocol) and {@link CertificateFiles}. */
class SidecarSettingsTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();

    @TempDir
    Path dir;

    @BeforeEach
    void certs() throws Exception {
        TestPki.writePair(dir.resolve("certs"), "web", "web.example.com");
        TestPki.writePair(dir.resolve("certs"), "other", "other.example.com");
    }

    private TlslensSettings load(String text) throws Exception {
        Path f = dir.resolve("tlslens.conf");
        Files.writeString(f, text);
        return ConfigLoader.load(f, CATALOG);
    }

    private List<ConfigProblem> problems(String text) throws Exception {
        Path f = dir.resolve("tlslens.conf");
        Files.writeString(f, text);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.load(f, CATALOG));
        assertThat(e).isNotNull();
        return e.problems();
    }

    private static String listener(String extra) {
        return "tlslens.listeners = [ { name = web, bind = \"0.0.0.0:8443\", backend.address = \"127.0.0.1:8080\"\n"
                + "  tls.certificates = [ { cert = \"certs/web.pem\", key = \"certs/web.key\" } ]\n" + extra + "\n} ]\n";
    }

    @Test
    void defaultsAreOffAndTwoSeconds() throws Exception {
        TlslensSettings s = load(listener(""));
        assertThat(s.reloadInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.listeners().get(0).proxyProtocol()).isFalse();
        assertThat(s.listeners().get(0).backend().proxyProtocol()).isEqualTo(ProxyProtocol.NONE);
    }

    @Test
    void keysAreReadAndRoutesInheritTheBackendProxyProtocol() throws Exception {
        TlslensSettings s = load("tlslens.reload-interval = 0\n" + listener("""
                  proxy-protocol = true
                  backend.proxy-protocol = v2
                  routes = [ { server-names = ["api.example.com"], backend.address = "127.0.0.1:9443" } ]
                """));
        assertThat(s.reloadInterval()).isZero();
        ListenerSettings l = s.listeners().get(0);
        assertThat(l.proxyProtocol()).isTrue();
        assertThat(l.backend().proxyProtocol()).isEqualTo(ProxyProtocol.V2);
        assertThat(l.routes().get(0).backend().proxyProtocol()).isEqualTo(ProxyProtocol.V2);
        assertThat(ProxyProtocol.V1.label()).isEqualTo("v1");
    }

    @Test
    void badValuesNameTheirKey() throws Exception {
        List<ConfigProblem> ps = problems("tlslens.reload-interval = -1s\n" + listener("""
                  proxy-protocol = maybe
                  backend.proxy-protocol = v3
                """));
        assertThat(ps).extracting(ConfigProblem::path).containsExactlyInAnyOrder("tlslens.reload-interval",
                "tlslens.listeners[0].proxy-protocol", "tlslens.listeners[0].backend.proxy-protocol");
        assertThat(ps.stream().filter(p -> p.path().endsWith("backend.proxy-protocol")).findFirst().orElseThrow().fix())
                .contains("none, v1 or v2");
    }

    @Test
    void misspelledKeyGetsASuggestion() throws Exception {
        List<ConfigProblem> ps = problems(listener("proxy-protocl = true"));
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).fix()).contains("proxy-protocol");
    }

    @Test
    void certificateFilesLoadsAndRejectsAMismatchedKey() throws Exception {
        CertificateKeyPair pair = CertificateFiles.load(dir.resolve("certs/web.pem"), dir.resolve("certs/web.key"));
        assertThat(pair.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=web.example.com");
        assertThat(pair.certFile()).isAbsolute();

        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> CertificateFiles.load(dir.resolve("certs/web.pem"), dir.resolve("certs/other.key")));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).path()).isEqualTo("key");
        assertThat(e.problems().get(0).message()).contains("does not match").contains("CN=web.example.com");

        InvalidConfigException missing = catchThrowableOfType(InvalidConfigException.class,
                () -> CertificateFiles.load(dir.resolve("certs/none.pem"), dir.resolve("certs/none.key")));
        assertThat(missing.problems()).extracting(ConfigProblem::path).containsExactly("cert", "key");
        assertThat(missing.problems().get(0).message()).contains("no such file");
    }
}
