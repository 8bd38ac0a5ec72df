package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tlslens.log { format, level, failures-per-second }}. */
class LogSettingsTest {
    @TempDir
    Path dir;
    private ConfFile conf;

    @BeforeEach
    void certs() throws Exception {
        conf = ConfFile.withWebPair(dir);
    }

    /** Four lines: keys written after it start at line 5. */
    private static final String LISTENER = ConfFile.webListener("");

    private LogSettings load(String text) throws Exception {
        return conf.load(text).log();
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
        List<ConfigProblem> ps = conf.problems(text);
        assertThat(ps).hasSize(3);
        conf.assertProblem(ps.get(0), "tlslens.log.format", 6, "unknown format \"xml\"", "use json or text");
        conf.assertProblem(ps.get(1), "tlslens.log.level", 7, "unknown level \"verbose\"", "use trace, debug, info, warn or error");
        conf.assertProblem(ps.get(2), "tlslens.log.failures-per-second", 8, "failures-per-second must be positive, found 0",
                "set a positive limit, e.g. 10");
    }

    @Test
    void failuresPerSecondMustBeAWholeNumber() throws Exception {
        conf.assertProblem(conf.onlyProblem(LISTENER + "tlslens.log.failures-per-second = lots\n"), "tlslens.log.failures-per-second", 5,
                "expected a positive whole number, found string \"lots\"",
                "set tlslens.log.failures-per-second to a positive whole number");
    }

    @Test
    void typoInTheLogBlockGetsADidYouMean() throws Exception {
        conf.assertProblem(conf.onlyProblem(LISTENER + "tlslens.log { levle = debug }\n"), "tlslens.log.levle", 5, "unknown key 'levle'", "did you mean 'level'?");
    }

    @Test
    void referenceConfLetsTlslensLogLevelOverrideTheDefaultLevel() {
        Config reference = ConfigFactory.parseResources(LogSettingsTest.class.getClassLoader(), "reference.conf");
        // ${?VAR} looks at the configuration's own root before the environment: stand in for the variable there
        Config withVariable = ConfigFactory.parseMap(Map.of("TLSLENS_LOG_LEVEL", "DEBUG")).withFallback(reference).resolve();
        assertThat(withVariable.getString("tlslens.log.level")).isEqualTo("DEBUG");
    }
}
