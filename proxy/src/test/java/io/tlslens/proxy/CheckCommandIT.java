package io.tlslens.proxy;

import io.tlslens.proxy.runtime.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tlslens check}: the shipped examples and the embedded default check clean; what start-up refuses is a
 * problem (exit 2) with the same words and {@code file:line}; what it would start with but should not is a
 * warning (exit 1); no port is bound.
 */
class CheckCommandIT {
    @TempDir
    Path dir;

    record Outcome(int exit, String stdout, String stderr) {
        List<String> lines(String prefix) {
            return stderr.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    static Outcome check(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] argv = new String[args.length + 1];
            argv[0] = "check";
            System.arraycopy(args, 0, argv, 1, args.length);
            int exit = new CommandLine(new Main()).execute(argv);
            return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path conf(String name, String... listeners) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "tlslens {\n admin { bind = \"127.0.0.1:" + ProxyHarness.freePort() + "\" }\n listeners = [\n"
                + String.join(",\n", listeners) + "\n ]\n}\n");
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"terminate.conf", "passthrough.conf", "reencrypt.conf"})
    void shippedExamplesCheckClean(String example) {
        Outcome o = check("--config", Path.of("..", "examples", example).toString());
        assertThat(o.stderr()).isEmpty();
        assertThat(o.stdout()).contains("valid; 2 listener(s)");
        assertThat(o.exit()).isZero();
    }

    @Test
    void theEmbeddedDefaultChecksClean() {
        Outcome o = check();
        assertThat(o.stderr()).isEmpty();
        assertThat(o.stdout()).contains("embedded default: valid; 1 listener(s)");
        assertThat(o.exit()).isZero();
    }

    @Test
    void whatTheLoaderRefusesIsAProblemWithFileAndLine() throws Exception {
        Path f = dir.resolve("bad.conf");
        Files.writeString(f, """
                tlslens {
                  listeners = [
                    {
                      name = web
                      bind = "127.0.0.1:notaport"
                      tls {
                        certificates = [ { cert = "missing.pem", key = "missing.key" } ]
                        protocols = ["TLSv1.2", "TLSv9"]
                      }
                      backend { address = "127.0.0.1:8080" }
                    }
                  ]
                }
                """);
        Outcome o = check("--config", f.toString());
        assertThat(o.exit()).isEqualTo(2);
        List<String> problems = o.lines("tlslens: config error: ");
        assertThat(problems).anySatisfy(l -> assertThat(l).contains("tlslens.listeners[0].bind (" + f + ":5)"))
                .anySatisfy(l -> assertThat(l).contains("tlslens.listeners[0].tls.certificates[0].cert").contains("missing.pem"))
                .anySatisfy(l -> assertThat(l).contains("TLSv9"));
        assertThat(o.stdout()).contains("invalid, " + problems.size() + " problem(s)");
        assertThat(o.stderr()).doesNotContain("\tat ");
    }

    @Test
    void aCipherListTheEngineCannotServeIsAProblemAsAtStartUp() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        // AWS ELBSecurityPolicy-TLS-1-2-2017-01 lists this suite; BoringSSL does not implement it
        Path f = conf("suites.conf", ProxyHarness.listener("web", ProxyHarness.freePort(), cert, 8080,
                "protocols = [\"TLSv1.2\"], cipher-suites = [\"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384\"]", ""));
        Outcome o = check("--config", f.toString());
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.lines("tlslens: config error: ")).singleElement().satisfies(l -> assertThat(l)
                .contains("tlslens.listeners[0].tls (" + f + ":")
                .contains("the TLS engine refused these settings")
                .contains("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"));
    }

    @Test
    void warnsOfExpiringExpiredAndIncompleteChainsAndOfWhatTheEngineDrops() throws Exception {
        TestPki pki = new TestPki(dir);
        Instant now = Instant.now();
        Path soon = pki.files("soon", pki.leaf(List.of("soon.example"), now.minus(Duration.ofDays(80)),
                now.plus(Duration.ofDays(10))), pki.intermediate.cert());
        Path expired = pki.files("expired", pki.leaf(List.of("old.example"), now.minus(Duration.ofDays(80)),
                now.minus(Duration.ofDays(2))), pki.intermediate.cert());
        Path leafOnly = pki.files("leafonly", pki.leaf("alone.example"));
        Path root = pki.dir.resolve("root.pem");
        String certs = "certificates = [ { cert = \"" + soon + "\", key = \"" + key(soon) + "\" }, { cert = \"" + expired
                + "\", key = \"" + key(expired) + "\" } ], ";
        Path f = conf("warn.conf",
                ProxyHarness.listener("web", ProxyHarness.freePort(), leafOnly, 8080, "client-trust = \"" + root + "\"", ""),
                "{ name = second, bind = \"127.0.0.1:" + ProxyHarness.freePort() + "\", tls { " + certs
                        + "client-trust = \"" + root + "\", protocols = [\"SSLv3\", \"TLSv1.2\", \"TLSv1.3\"], cipher-suites = "
                        + "[\"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\", \"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384\", "
                        + "\"TLS_AES_128_GCM_SHA256\"] }, backend { address = \"127.0.0.1:8080\" } }");
        Outcome o = check("--config", f.toString());
        List<String> warnings = o.lines("tlslens: warning: ");
        assertThat(warnings).anySatisfy(l -> assertThat(l)
                        .contains("tlslens.listeners[0].tls.certificates[0].cert (" + f + ":")
                        .contains("is incomplete for the configured client-trust")
                        .contains("chain stops at issuer 'CN=tlslens Test Intermediate'"))
                .anySatisfy(l -> assertThat(l).contains("tlslens.listeners[1].tls.certificates[0].cert")
                        .contains("leaf CN=soon.example").containsPattern("expires .* \\(in (9|10) days\\)"))
                .anySatisfy(l -> assertThat(l).contains("tlslens.listeners[1].tls.certificates[1].cert")
                        .contains("leaf CN=old.example").contains("expired"))
                .anySatisfy(l -> assertThat(l).contains("tlslens.listeners[1].tls (").contains("does not speak [SSL 3.0]"))
                .anySatisfy(l -> assertThat(l).contains("does not implement cipher suites [TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384]"))
                .anySatisfy(l -> assertThat(l).contains("[TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256] are offered"));
        assertThat(warnings).hasSize(6);
        assertThat(o.lines("tlslens: config error: ")).isEmpty();
        assertThat(o.stdout()).contains("valid, 6 warning(s); 2 listener(s)");
        assertThat(o.stdout()).doesNotContain("\"level\""); // warnings are not logged a second time as JSON lines
        assertThat(o.exit()).isEqualTo(1);
    }

    @Test
    void aNamedProfilesOwnSuitesTheEngineLacksAreNotWarnedAboutWhenOnlyProtocolsAreOverridden() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        // intermediate lists DHE suites BoringSSL does not implement; the operator wrote only protocols
        Path f = conf("protocols.conf", ProxyHarness.listener("web", ProxyHarness.freePort(), cert, 8080,
                "policy = intermediate, protocols = [\"TLSv1.2\"]", ""));
        Outcome o = check("--config", f.toString());
        assertThat(o.stderr()).isEmpty();
        assertThat(o.exit()).isZero();
    }

    @Test
    void bindsNoPort() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path f = conf("taken.conf", ProxyHarness.listener("web", taken.getLocalPort(), cert, 8080, "", ""));
            Outcome o = check("--config", f.toString());
            assertThat(o.exit()).as("check binds nothing, so a port in use is not seen: %s", o).isZero();
        }
    }

    private static String key(Path cert) {
        return cert.toString().replaceAll("\\.pem$", ".key");
    }
}
