package io.tlslens.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code tlslens.conf} in a test's directory, written and loaded through the real loader (with {@link FakeCatalog}). */
final class ConfFile {
    final Path path;

    ConfFile(Path dir) {
        this.path = dir.resolve("tlslens.conf");
    }

    /** @return the file in {@code dir}, with {@code certs/web.pem} and {@code certs/web.key} (CN=web.example.com) beside it */
    static ConfFile withWebPair(Path dir) throws Exception {
        TestPki.writePair(dir.resolve("certs"), "web", "web.example.com");
        return new ConfFile(dir);
    }

    /**
     * @param extra keys of the listener, from line 4 on; may be empty
     * @return {@code tlslens.listeners} with one terminate listener {@code web} serving {@code certs/web.pem}:
     *         three lines, then {@code extra}, then the closing line
     */
    static String webListener(String extra) {
        return "tlslens.listeners = [ {\n"
                + "  name = web, bind = \"0.0.0.0:8443\", backend.address = \"127.0.0.1:8080\"\n"
                + "  tls.certificates = [ { cert = \"certs/web.pem\", key = \"certs/web.key\" } ]\n"
                + (extra.isEmpty() ? "" : extra + "\n") + "} ]\n";
    }

    TlslensSettings load(String text) throws Exception {
        Files.writeString(path, text);
        return ConfigLoader.load(path, new FakeCatalog());
    }

    /** @return the problems of {@code text}, after checking that it does not load */
    List<ConfigProblem> problems(String text) throws Exception {
        Files.writeString(path, text);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class,
                () -> ConfigLoader.load(path, new FakeCatalog()));
        assertThat(e).as("expected an InvalidConfigException for%n%s", text).isNotNull();
        return e.problems();
    }

    /** @return the only problem of {@code text}, after checking it is the only one */
    ConfigProblem onlyProblem(String text) throws Exception {
        List<ConfigProblem> ps = problems(text);
        assertThat(ps).hasSize(1);
        return ps.get(0);
    }

    /** Asserts every part of {@code p}; {@code line} is a line of this file. */
    void assertProblem(ConfigProblem p, String keyPath, int line, String message, String fix) {
        assertThat(p.path()).isEqualTo(keyPath);
        assertThat(p.origin()).isEqualTo(path + ":" + line);
        assertThat(p.message()).isEqualTo(message);
        assertThat(p.fix()).isEqualTo(fix);
    }
}
