package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Frontend mutual TLS ({@code client-auth = require}) with curl presenting (or not) client certificates. */
class FrontendMtlsIT {
    @TempDir
    Path dir;
    TestPki pki;
    ProxyHarness proxy;
    HttpServer backend;
    int port;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", ex -> {
            byte[] body = "mtls ok\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        proxy = new ProxyHarness(dir);
        port = ProxyHarness.freePort();
        proxy.start(ProxyHarness.listener("mtls", port, cert, backend.getAddress().getPort(),
                "client-auth = require, client-ca = \"" + dir.resolve("root.pem") + "\"", ""));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        backend.stop(0);
    }

    private ProxyHarness.Run curl(Path clientCert) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert",
                dir.resolve("root.pem").toString(), "--resolve", "localhost:" + port + ":127.0.0.1"));
        if (clientCert != null) {
            cmd.addAll(List.of("--cert", clientCert.toString(), "--key", clientCert.toString().replace(".pem", ".key")));
        }
        cmd.add("https://localhost:" + port + "/");
        return ProxyHarness.run(cmd);
    }

    private JsonNode failure(String cause) throws Exception {
        ProxyHarness.await(() -> !proxy.log.withCause(cause).isEmpty(), "cause " + cause);
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "mtls", "leg", "frontend", "cause", cause)))
                .isGreaterThanOrEqualTo(1);
        return proxy.log.withCause(cause).get(0);
    }

    @Test
    void noClientCertificateIsMissing() throws Exception {
        assertThat(curl(null).exit()).isNotZero();
        JsonNode e = failure("client_certificate_missing");
        assertThat(e.path("engine_error").asText()).contains("PEER_DID_NOT_RETURN_A_CERTIFICATE");
    }

    @Test
    void certificateFromAnotherCaIsRejectedAsUntrustedIssuer() throws Exception {
        assertThat(curl(pki.foreign("stranger", "stranger")).exit()).isNotZero();
        JsonNode e = failure("client_certificate_rejected");
        assertThat(e.path("evidence").path("reason").asText()).isEqualTo("untrusted issuer");
    }

    @Test
    void expiredClientCertificateIsRejectedAsExpired() throws Exception {
        Instant now = Instant.now();
        Path old = pki.client("old", "old-client", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        assertThat(curl(old).exit()).isNotZero();
        JsonNode e = failure("client_certificate_rejected");
        assertThat(e.path("evidence").path("reason").asText()).isEqualTo("expired");
    }

    @Test
    void validClientCertificateIsAcceptedAndItsSubjectLogged() throws Exception {
        try (LogCapture mtls = new LogCapture("tlslens.mtls")) {
            Instant now = Instant.now();
            var r = curl(pki.client("good", "good-client", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))));
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.stdout()).isEqualTo("mtls ok\n");
            ProxyHarness.await(() -> !mtls.events().isEmpty(), "the tls_client_authenticated line");
            assertThat(mtls.events().get(0).path("event").asText()).isEqualTo("tls_client_authenticated");
            assertThat(mtls.events().get(0).path("client_subject").asText()).isEqualTo("CN=good-client");
        }
    }
}
