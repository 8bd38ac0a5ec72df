package io.tlslens.config;

import io.tlslens.inspector.policy.NamedPolicies;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the public entry points against the inspector's real registries; skipped while they are stubs. */
class InspectorCatalogTest {
    @TempDir
    Path dir;

    @BeforeEach
    void requireInspector() {
        assumeTrue(inspectorImplemented(), "inspector registries are still stubs");
    }

    static boolean inspectorImplemented() {
        try {
            NamedPolicies.names();
            TlsCatalog.INSPECTOR.cipherSuiteCode("TLS_AES_128_GCM_SHA256");
            TlsCatalog.INSPECTOR.versionCode("TLSv1.2");
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void namedPoliciesFromTheDesignExist() {
        assertThat(NamedPolicies.names()).contains("modern", "intermediate", "old");
    }

    @Test
    void embeddedDefaultUsesIntermediate() throws Exception {
        TlslensSettings s = ConfigLoader.embeddedDefault(dir);
        assertThat(s.listeners().get(0).tls().policy().name()).isEqualTo("intermediate");
    }

    @Test
    void overridesResolveIanaAndOpenSslNames() throws Exception {
        TestPki.writePair(dir, "web", "web");
        Path f = dir.resolve("t.conf");
        Files.writeString(f, """
                tlslens.listeners = [ {
                  name = web, bind = "127.0.0.1:0", backend.address = "127.0.0.1:8080"
                  tls {
                    certificates = [ { cert = web.pem, key = web.key } ]
                    protocols = ["TLSv1.2", "TLSv1.3"]
                    cipher-suites = ["ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]
                  }
                } ]
                """);
        var policy = ConfigLoader.load(f).listeners().get(0).tls().policy();
        assertThat(policy.name()).isEqualTo("intermediate+overrides");
        assertThat(policy.versions()).containsExactly(0x0303, 0x0304);
        assertThat(policy.cipherSuites()).containsExactly(0xc02f, 0xc02b);
        assertThat(policy.tls13CipherSuites()).containsExactly(0x1302);
    }

    @Test
    void unknownNamesAreProblems() throws Exception {
        Path f = dir.resolve("t.conf");
        Files.writeString(f, """
                tlslens.listeners = [ {
                  name = web, bind = "127.0.0.1:0", backend.address = "127.0.0.1:8080", mode = passthrough
                  tls { policy = nope, protocols = ["TLSv9"], cipher-suites = ["NOT-A-CIPHER"] }
                } ]
                """);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.load(f));
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "tlslens.listeners[0].tls.policy", "tlslens.listeners[0].tls.protocols[0]",
                "tlslens.listeners[0].tls.cipher-suites[0]");
        assertThat(e.problems().get(0).fix()).contains("intermediate");
    }
}
