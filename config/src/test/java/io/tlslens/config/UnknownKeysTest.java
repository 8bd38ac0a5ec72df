package io.tlslens.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An unknown key is one problem at every level: document root, {@code tlslens { }}, admin, log and below. */
class UnknownKeysTest {
    @TempDir
    Path dir;
    private ConfFile conf;

    @BeforeEach
    void certs() throws Exception {
        conf = ConfFile.withWebPair(dir);
    }

    private static final String LISTENER = """
              listeners = [ {
                name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                tls.certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ]
              } ]
            """;

    @Test
    void typoInTheTlslensBlockGetsADidYouMean() throws Exception {
        ConfigProblem p = conf.onlyProblem("tlslens {\n" + LISTENER + "  drian-timeout = 5s\n}\n");
        conf.assertProblem(p, "tlslens.drian-timeout", 6, "unknown key 'drian-timeout'", "did you mean 'drain-timeout'?");
        assertThat(p.toString()).isEqualTo("tlslens.drian-timeout (" + conf.path + ":6): unknown key 'drian-timeout'"
                + " — fix: did you mean 'drain-timeout'?");
    }

    @Test
    void typoInTheAdminBlock() throws Exception {
        ConfigProblem p = conf.onlyProblem("tlslens {\n" + LISTENER + "  admin { bnid = \"127.0.0.1:9999\" }\n}\n");
        conf.assertProblem(p, "tlslens.admin.bnid", 6, "unknown key 'bnid'", "did you mean 'bind'?");
    }

    @Test
    void unknownKeyWithNoNeighbourListsTheKeysAllowedThere() throws Exception {
        ConfigProblem p = conf.onlyProblem("tlslens {\n" + LISTENER + "  metrics-port = 9090\n}\n");
        conf.assertProblem(p, "tlslens.metrics-port", 6, "unknown key 'metrics-port'",
                "remove it; keys here: admin, drain-timeout, listener-defaults, listeners, log, reload-interval");
    }

    @Test
    void documentRootHoldsOnlyTlslens() throws Exception {
        ConfigProblem typo = conf.onlyProblem("tlslens {\n" + LISTENER + "}\ntlslen.drain-timeout = 5s\n");
        conf.assertProblem(typo, "tlslen", 7, "unknown key 'tlslen'", "did you mean 'tlslens'?");

        ConfigProblem other = conf.onlyProblem("tlslens {\n" + LISTENER + "}\nakka { loglevel = DEBUG }\n");
        conf.assertProblem(other, "akka", 7, "unknown key 'akka'", "remove it; keys here: tlslens");
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
        List<ConfigProblem> ps = conf.problems(text);
        assertThat(ps).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "tlslens.listener-defaults.backend.tls.enabeld", "tlslens.listeners[0].routes[0].backend.adress");
        ConfigProblem defaults = ps.stream().filter(p -> p.path().endsWith("enabeld")).findFirst().orElseThrow();
        conf.assertProblem(defaults, "tlslens.listener-defaults.backend.tls.enabeld", 2, "unknown key 'enabeld'", "did you mean 'enabled'?");
        ConfigProblem route = ps.stream().filter(p -> p.path().endsWith("adress")).findFirst().orElseThrow();
        conf.assertProblem(route, "tlslens.listeners[0].routes[0].backend.adress", 6, "unknown key 'adress'", "did you mean 'address'?");
    }

    @Test
    void aValidFileHasNoUnknownKeys() throws Exception {
        TlslensSettings s = conf.load("tlslens {\n" + LISTENER + "  drain-timeout = 5s\n  admin { bind = \"127.0.0.1:9999\" }\n}\n");
        assertThat(s.drainTimeout()).hasSeconds(5);
    }
}
