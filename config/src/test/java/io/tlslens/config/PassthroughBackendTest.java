package io.tlslens.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A passthrough listener with routes but no default backend is told about {@code backend { address = none }}. */
class PassthroughBackendTest {
    @TempDir
    Path dir;
    private ConfFile conf;

    @BeforeEach
    void file() {
        conf = new ConfFile(dir);
    }

    private static String listener(String mode, String backend, String routes) {
        return """
                tlslens.listeners = [
                  {
                    name = sni, bind = "127.0.0.1:8443", mode = %s
                    %s
                    %s
                  }
                ]
                """.formatted(mode, backend, routes);
    }

    private static final String ROUTES =
            "routes = [ { server-names = [\"api.example.com\"], backend.address = \"127.0.0.1:9443\" } ]";

    @Test
    void routesWithoutABackendNameAddressNone() throws Exception {
        // the origin is the listener object's line: no backend was written
        conf.assertProblem(conf.onlyProblem(listener("passthrough", "", ROUTES)), "tlslens.listeners[0].backend.address", 2,
                "missing required key address: the server names no route matches need a backend, or none",
                "set backend { address = \"host:port\" } for them, or backend { address = none } to refuse them (sni_unknown)");
    }

    @Test
    void theFixLoads() throws Exception {
        ListenerSettings l = conf.load(listener("passthrough", "backend { address = none }", ROUTES)).listeners().get(0);
        assertThat(l.backend().none()).isTrue();
        assertThat(l.routes()).hasSize(1);
    }

    @Test
    void withoutRoutesOrInAnotherModeTheMissingAddressIsPlain() throws Exception {
        for (String text : List.of(listener("passthrough", "", "routes = []"), listener("originate", "backend.tls.enabled = true", ROUTES))) {
            conf.assertProblem(conf.onlyProblem(text), "tlslens.listeners[0].backend.address", 2,
                    "missing required key address", "set tlslens.listeners[0].backend.address (a string)");
        }
    }
}
