package io.tlslens.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** An unknown key is one problem at every level: document root, {@code tlslens { }}, admin, log and below. */
class UnknownKeysTest {
    @TempDir
    Path dir;
    private Path conf;

    @BeforeEach
    void certs() throws Exception {
        TestPki.writePair(dir.resolve("certs"), "web", "web.example.com");
        conf = dir.resolve("tlslens.conf");
    }

    private static final String LISTENER = """
              listeners = [ {
                name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                tls.certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ]
              } ]
            """;

    /** @return the only problem of {@code text}, after checking it is the only one */
    private ConfigProblem onlyProblem(String text) throws Exception {
        Files.writeString(conf, text);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(conf, new FakeCatalog()));
        assertThat(e).as("expected an InvalidConfigException for%n%s", text).isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().get(0);
    }

    private void assertProblem(ConfigProblem p, String path, int line, String message, String fix) {
        assertThat(p.path()).isEqualTo(path);
        assertThat(p.origin()).isEqualTo(conf + ":" + line);
        assertThat(p.message()).isEqualTo(message);
        assertThat(p.fix()).isEqualTo(fix);
    }

    @Test
    void typoInTheTlslensBlockGetsADidYouMean() throws Exception {
        ConfigProblem p = onlyProblem("tlslens {\n" + LISTENER + "  drian-timeout = 5s\n}\n");
        assertProblem(p, "tlslens.drian-timeout", 6, "unknown key 'drian-timeout'", "did you mean 'drain-timeout'?");
        assertThat(p.toString()).isEqualTo("tlslens.drian-timeout (" + conf + ":6): unknown key 'drian-timeout'"
                + " — fix: did you mean 'drain-timeout'?");
    }

    @Test
    void typoInTheAdminBlock() throws Exception {
        ConfigProblem p = onlyProblem("tlslens {\n" + LISTENER + "  admin { bnid = \"127.0.0.1:9999\" }\n}\n");
        assertProblem(p, "tlslens.admin.bnid", 6, "unknown key 'bnid'", "did you mean 'bind'?");
    }

    @Test
    void unknownKeyWithNoNeighbourListsTheKeysAllowedThere() throws Exception {
        ConfigProblem p = onlyProblem("tlslens {\n" + LISTENER + "  metrics-port = 9090\n}\n");
        assertProblem(p, "tlslens.metrics-port", 6, "unknown key 'metrics-port'",
                "remove it; keys here: admin, drain-timeout, listener-defaults, listeners, log, reload-interval");
    }

    @Test
    void documentRootHoldsOnlyTlslens() throws Exception {
        ConfigProblem typo = onlyProblem("tlslens {\n" + LISTENER + "}\ntlslen.drain-timeout = 5s\n");
        assertProblem(typo, "tlslen", 7, "unknown key 'tlslen'", "did you mean 'tlslens'?");

        ConfigProblem other = onlyProblem("tlslens {\n" + LISTENER + "}\nakka { loglevel = DEBUG }\n");
        assertProblem(other, "akka", 7, "unknown key 'akka'", "remove it; keys here: tlslens");
    }

    @Test
    void nestedBlocksOfListenerDefaultsAndRoutes() throws Exception {
        String text = """
                tlslens {
                  listener-defaults.backend.tls.enabeld = false
                  listeners = [ {
                    name = sni, bind = "0.0.0.0:8443", mode = passthrough, backend.address = "127.0.0.1:8080"
                    routes = [
                      { server-names = ["api.example.com"], backend { adress = "127.0.0.1:9443" } }
                    ]
                  } ]
                }
                """;
        Files.writeString(conf, text);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(conf, new FakeCatalog()));
        List<ConfigProblem> ps = e.problems();
        assertThat(ps).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "tlslens.listener-defaults.backend.tls.enabeld", "tlslens.listeners[0].routes[0].backend.adress");
        ConfigProblem defaults = ps.stream().filter(p -> p.path().endsWith("enabeld")).findFirst().orElseThrow();
        assertProblem(defaults, "tlslens.listener-defaults.backend.tls.enabeld", 2, "unknown key 'enabeld'", "did you mean 'enabled'?");
        ConfigProblem route = ps.stream().filter(p -> p.path().endsWith("adress")).findFirst().orElseThrow();
        assertProblem(route, "tlslens.listeners[0].routes[0].backend.adress", 6, "unknown key 'adress'", "did you mean 'address'?");
    }

    @Test
    void aValidFileHasNoUnknownKeys() throws Exception {
        Files.writeString(conf, "tlslens {\n" + LISTENER + "  drain-timeout = 5s\n  admin { bind = \"127.0.0.1:9999\" }\n}\n");
        assertThat(ConfigLoader.load(conf, new FakeCatalog()).drainTimeout()).hasSeconds(5);
    }
}
