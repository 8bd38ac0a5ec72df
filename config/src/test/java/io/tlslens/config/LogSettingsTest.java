package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code tlslens.log { format, level, failures-per-second }}. */
class LogSettingsTest {
    @TempDir
    Path dir;
    private Path conf;

    @BeforeEach
    void certs() throws Exception {
        TestPki.writePair(dir.resolve("certs"), "web", "web.example.com");
        conf = dir.resolve("tlslens.conf");
    }

    private static final String LISTENER = """
            tlslens.listeners = [ {
              name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
              tls.certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ]
            } ]
            """;

    private LogSettings load(String text) throws Exception {
        Files.writeString(conf, text);
        return ConfigLoader.load(conf, new FakeCatalog()).log();
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
    void defaultsAreJsonInfoAndTenFailuresPerSecond() throws Exception {
        LogSettings log = load(LISTENER);
        assertThat(log.format()).isEqualTo(LogFormat.JSON);
        // reference.conf lets TLSLENS_LOG_LEVEL override the default, should the test run with it set
        String level = Optional.ofNullable(System.getenv("TLSLENS_LOG_LEVEL")).map(v -> v.toLowerCase(Locale.ROOT)).orElse("info");
        assertThat(log.level()).isEqualTo(level);
        assertThat(log.failuresPerSecond()).isEqualTo(10);
    }

    @Test
    void valuesAreReadAndLevelAndFormatIgnoreCase() throws Exception {
        LogSettings log = load(LISTENER + "tlslens.log { format = TEXT, level = Warn, failures-per-second = 3 }\n");
        assertThat(log).isEqualTo(new LogSettings(LogFormat.TEXT, "warn", 3));
        assertThat(log.format().label()).isEqualTo("text");
    }

    @Test
    void badValuesAreOneProblemEach() throws Exception {
        String text = LISTENER + """
                tlslens.log {
                  format = xml
                  level = verbose
                  failures-per-second = 0
                }
                """;
        List<ConfigProblem> ps = problems(text);
        assertThat(ps).hasSize(3);
        assertProblem(ps.get(0), "tlslens.log.format", 6, "unknown format \"xml\"", "use json or text");
        assertProblem(ps.get(1), "tlslens.log.level", 7, "unknown level \"verbose\"", "use trace, debug, info, warn or error");
        assertProblem(ps.get(2), "tlslens.log.failures-per-second", 8, "failures-per-second must be positive, found 0",
                "set a positive limit, e.g. 10");
    }

    @Test
    void failuresPerSecondMustBeAWholeNumber() throws Exception {
        List<ConfigProblem> ps = problems(LISTENER + "tlslens.log.failures-per-second = lots\n");
        assertThat(ps).hasSize(1);
        assertProblem(ps.get(0), "tlslens.log.failures-per-second", 5,
                "expected a positive whole number, found string \"lots\"",
                "set tlslens.log.failures-per-second to a positive whole number");
    }

    @Test
    void typoInTheLogBlockGetsADidYouMean() throws Exception {
        List<ConfigProblem> ps = problems(LISTENER + "tlslens.log { levle = debug }\n");
        assertThat(ps).hasSize(1);
        assertProblem(ps.get(0), "tlslens.log.levle", 5, "unknown key 'levle'", "did you mean 'level'?");
    }

    @Test
    void referenceConfLetsTlslensLogLevelOverrideTheDefaultLevel() {
        Config reference = ConfigFactory.parseResources(LogSettingsTest.class.getClassLoader(), "reference.conf");
        // ${?VAR} looks at the configuration's own root before the environment: stand in for the variable there
        Config withVariable = ConfigFactory.parseMap(Map.of("TLSLENS_LOG_LEVEL", "DEBUG")).withFallback(reference).resolve();
        assertThat(withVariable.getString("tlslens.log.level")).isEqualTo("DEBUG");
    }
}
