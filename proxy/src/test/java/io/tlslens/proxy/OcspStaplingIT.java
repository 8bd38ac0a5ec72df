package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlslens.proxy.tls.OcspStapler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tls.ocsp-stapling = true} against a real {@code openssl ocsp} responder named in the served
 * certificate's AIA: the staple is fetched and stapled ({@code openssl s_client -status}), a revoked
 * one makes curl's {@code --cert-status} rejection a {@code certificate_revoked}, and a dead
 * responder is logged and counted.
 */
class OcspStaplingIT {
    @TempDir
    Path dir;
    TestPki pki;
    ProxyHarness proxy;
    int port;
    int ocspPort;

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        proxy = new ProxyHarness(dir);
        port = ProxyHarness.freePort();
        ocspPort = ProxyHarness.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
    }

    private TestPki.Issued startStapling() throws Exception {
        TestPki.Issued leaf = pki.leafWithOcsp("localhost", "http://127.0.0.1:" + ocspPort + "/");
        Path cert = pki.files("stapled", leaf, pki.intermediate.cert());
        proxy.start(ProxyHarness.listener("stapled", port, cert, ProxyHarness.freePort(), "ocsp-stapling = true", ""));
        return leaf;
    }

    private void awaitRefresh(String result) throws InterruptedException {
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_ocsp_staple_refreshes_total", Map.of("listener", "stapled", "result", result)) >= 1;
            } catch (Exception e) {
                return false;
            }
        }, "a staple refresh with result " + result);
    }

    @Test
    void aGoodStapleIsServed() throws Exception {
        TestPki.Issued leaf = pki.leafWithOcsp("localhost", "http://127.0.0.1:" + ocspPort + "/");
        try (OcspResponder responder = new OcspResponder(dir, ocspPort, leaf.cert(), false)) {
            Path cert = pki.files("stapled", leaf, pki.intermediate.cert());
            proxy.start(ProxyHarness.listener("stapled", port, cert, ProxyHarness.freePort(), "ocsp-stapling = true", ""));
            awaitRefresh("success");
            var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                    "localhost", "-status"));
            assertThat(r.stdout()).contains("OCSP Response Status: successful").contains("Cert Status: good");
        }
    }

    @Test
    void curlRejectingARevokedStapleIsCertificateRevoked() throws Exception {
        TestPki.Issued leaf = pki.leafWithOcsp("localhost", "http://127.0.0.1:" + ocspPort + "/");
        try (OcspResponder responder = new OcspResponder(dir, ocspPort, leaf.cert(), true)) {
            Path cert = pki.files("stapled", leaf, pki.intermediate.cert());
            proxy.start(ProxyHarness.listener("stapled", port, cert, ProxyHarness.freePort(), "ocsp-stapling = true", ""));
            awaitRefresh("success");
            var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "10", "--cert-status", "--cacert",
                    dir.resolve("root.pem").toString(), "--resolve", "localhost:" + port + ":127.0.0.1",
                    "https://localhost:" + port + "/"));
            assertThat(r.exit()).as(r.all()).isNotZero();
            assertThat(r.stderr()).contains("revocation");
            ProxyHarness.await(() -> !proxy.log.withCause("certificate_revoked").isEmpty(), "certificate_revoked");
            JsonNode e = proxy.log.withCause("certificate_revoked").get(0);
            assertThat(e.path("leg").asText()).isEqualTo("frontend");
            assertThat(e.path("certificate").path("problem").asText()).contains("OCSP");
            assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "stapled", "cause", "certificate_revoked")))
                    .isEqualTo(1);
        }
    }

    @Test
    void aDeadResponderIsLoggedAndCounted() throws Exception {
        try (LogCapture stapler = new LogCapture(OcspStapler.class.getName())) {
            startStapling();
            awaitRefresh("failure");
            ProxyHarness.await(() -> !stapler.events().isEmpty(), "the refresh failure log line");
            assertThat(stapler.events().get(0).path("event").asText()).isEqualTo("tls_ocsp_staple_refresh_failed");
            var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                    "localhost", "-status"));
            assertThat(r.stdout()).as("still serves, without a staple").contains("OCSP response: no response sent");
        }
    }
}
