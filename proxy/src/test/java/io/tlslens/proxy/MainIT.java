package io.tlslens.proxy;

import io.tlslens.proxy.runtime.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad configuration stops start-up with exit code 2 and one line per problem, no stack trace. */
class MainIT {
    @TempDir
    Path dir;

    private record Outcome(int exit, String stderr) {
    }

    private Outcome runMain(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new Main()).execute(args);
            return new Outcome(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void badConfigurationExitsWithCode2AndOneLinePerProblem() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, """
                tlslens {
                  listeners = [
                    {
                      name = web
                      bind = "127.0.0.1:notaport"
                      tls {
                        certificates = [ { cert = "missing.pem", key = "missing.key" } ]
                        protocols = ["TLSv1.2", "TLSv9"]
                        cipher-suites = ["TLS_NOT_A_SUITE"]
                      }
                      backend { address = "127.0.0.1:8080" }
                    }
                  ]
                }
                """);
        Outcome o = runMain("--config", conf.toString());
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.stderr()).contains("tlslens.listeners[0].bind").contains("bad.conf:5")
                .contains("tlslens.listeners[0].tls.certificates[0].cert").contains("missing.pem")
                .contains("TLSv9").contains("TLS_NOT_A_SUITE");
        assertThat(o.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
        long problemLines = o.stderr().lines().filter(l -> l.startsWith("tlslens: config error: ")).count();
        assertThat(problemLines).isGreaterThanOrEqualTo(4);
    }

    @Test
    void portInUseExitsWithCode2NamingTheKey() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path conf = dir.resolve("inuse.conf");
            Files.writeString(conf, "tlslens {\n admin { bind = \"127.0.0.1:" + ProxyHarness.freePort() + "\" }\n listeners = [\n"
                    + ProxyHarness.listener("web", taken.getLocalPort(), cert, 8080, "", "") + "\n ]\n}\n");
            Outcome o = runMain("--config", conf.toString());
            assertThat(o.exit()).isEqualTo(2);
            assertThat(o.stderr()).contains("tlslens.listeners[0].bind").contains("inuse.conf:")
                    .contains(Integer.toString(taken.getLocalPort()));
            assertThat(o.stderr()).doesNotContain("\tat ");
        }
    }

    @Test
    void cipherSuitesTheEngineCannotServeStopStartUpNamingThem() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        Path conf = dir.resolve("suites.conf");
        // AWS ELBSecurityPolicy-TLS-1-2-2017-01 lists this suite; BoringSSL does not implement it
        Files.writeString(conf, "tlslens {\n admin { bind = \"127.0.0.1:" + ProxyHarness.freePort() + "\" }\n listeners = [\n"
                + ProxyHarness.listener("web", ProxyHarness.freePort(), cert, 8080, "protocols = [\"TLSv1.2\"], "
                + "cipher-suites = [\"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384\"]", "") + "\n ]\n}\n");
        Outcome o = runMain("--config", conf.toString());
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.stderr()).contains("tlslens.listeners[0].tls").contains("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")
                .doesNotContain("\tat ");
    }
}
