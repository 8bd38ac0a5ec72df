package io.tlslens.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A passthrough listener with routes but no default backend is told about {@code backend { address = none }}. */
class PassthroughBackendTest {
    @TempDir
    Path dir;
    private Path conf;

    @BeforeEach
    void file() {
        conf = dir.resolve("tlslens.conf");
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

    private List<ConfigProblem> problems(String text) throws Exception {
        Files.writeString(conf, text);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(conf, new FakeCatalog()));
        assertThat(e).as("expected an InvalidConfigException").isNotNull();
        return e.problems();
    }

    @Test
    void routesWithoutABackendNameAddressNone() throws Exception {
        List<ConfigProblem> ps = problems(listener("passthrough", "", ROUTES));
        assertThat(ps).hasSize(1);
        ConfigProblem p = ps.get(0);
        assertThat(p.path()).isEqualTo("tlslens.listeners[0].backend.address");
        assertThat(p.origin()).as("the listener object: no backend was written").isEqualTo(conf + ":2");
        assertThat(p.message()).isEqualTo("missing required key address: the server names no route matches need a backend, or none");
        assertThat(p.fix()).isEqualTo(
                "set backend { address = \"host:port\" } for them, or backend { address = none } to refuse them (sni_unknown)");
    }

    @Test
    void theFixLoads() throws Exception {
        Files.writeString(conf, listener("passthrough", "backend { address = none }", ROUTES));
        ListenerSettings l = ConfigLoader.load(conf, new FakeCatalog()).listeners().get(0);
        assertThat(l.backend().none()).isTrue();
        assertThat(l.routes()).hasSize(1);
    }

    @Test
    void withoutRoutesOrInAnotherModeTheMissingAddressIsPlain() throws Exception {
        for (String text : List.of(listener("passthrough", "", "routes = []"), listener("originate", "backend.tls.enabled = true", ROUTES))) {
            List<ConfigProblem> ps = problems(text);
            assertThat(ps).as(text).hasSize(1);
            assertThat(ps.get(0).path()).isEqualTo("tlslens.listeners[0].backend.address");
            assertThat(ps.get(0).message()).isEqualTo("missing required key address");
            assertThat(ps.get(0).fix()).isEqualTo("set tlslens.listeners[0].backend.address (a string)");
        }
    }
}
