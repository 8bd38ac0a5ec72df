package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend leg in re-encrypt mode: each backend cause produced by a real TLS backend
 * ({@code openssl s_server}) or a plaintext one, with curl as the client, and named on /metrics
 * ({@code leg="backend"}) and in the log line, which carries the frontend connection id.
 */
class BackendLegIT {
    @TempDir
    Path dir;
    TestPki pki;
    Path front;
    ProxyHarness proxy;
    int port;
    final List<AutoCloseable> closeMe = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        front = pki.files("front", pki.leaf("localhost"), pki.intermediate.cert());
        proxy = new ProxyHarness(dir);
        port = ProxyHarness.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        for (AutoCloseable c : closeMe) {
            c.close();
        }
    }

    /** Starts tlslens re-encrypting to 127.0.0.1:backendPort with these backend.tls settings. */
    private void start(int backendPort, String backendTls, String extra) throws Exception {
        proxy.start("{ name = reenc, bind = \"127.0.0.1:" + port + "\", " + extra + " tls { certificates = [ { cert = \""
                + front + "\", key = \"" + front.toString().replace(".pem", ".key") + "\" } ] }, backend { address = \"127.0.0.1:"
                + backendPort + "\", tls { enabled = true, trust = \"" + dir.resolve("root.pem") + "\", " + backendTls + " } } }");
    }

    private OpensslServer backend(Path cert, Path chain, String... extra) throws Exception {
        OpensslServer s = new OpensslServer(dir, cert, chain, extra);
        closeMe.add(s);
        return s;
    }

    private ProxyHarness.Run curl() throws Exception {
        return ProxyHarness.run(List.of("curl", "-sS", "--max-time", "10", "--cacert", dir.resolve("root.pem").toString(),
                "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/"));
    }

    private JsonNode backendFailure(String cause, Predicate<JsonNode> which) throws Exception {
        Predicate<JsonNode> match = e -> "backend".equals(e.path("leg").asText()) && cause.equals(e.path("cause").asText())
                && which.test(e);
        ProxyHarness.await(() -> proxy.log.events().stream().anyMatch(match), "backend cause " + cause);
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "reenc", "leg", "backend", "cause", cause)))
                .isGreaterThanOrEqualTo(1);
        JsonNode e = proxy.log.events().stream().filter(match).findFirst().orElseThrow();
        assertThat(e.path("connection_id").asText()).isNotBlank();
        assertThat(e.path("backend_address").asText()).startsWith("127.0.0.1:");
        assertThat(e.path("hints").size()).isPositive();
        return e;
    }

    private JsonNode backendFailure(String cause) throws Exception {
        return backendFailure(cause, e -> true);
    }

    @Test
    void healthyBackendCountsBothLegsAndPublishesItsCertificates() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"));
        start(s.port, "server-name = backend.internal", "");
        var r = curl();
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("s_server");
        ProxyHarness.await(() -> valueOrZero("tlslens_handshakes_total", Map.of("listener", "reenc", "leg", "backend")) >= 1,
                "a backend handshake counted");
        assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", "reenc", "leg", "frontend"))).isGreaterThanOrEqualTo(1);
        assertThat(proxy.value("tlslens_certificate_expiry_timestamp_seconds", Map.of("listener", "reenc", "leg", "backend",
                "role", "leaf"))).isPositive();
        assertThat(proxy.metrics()).contains("subject=\"CN=backend.internal\"");
    }

    @Test
    void backendAskingForAnotherKeyShareIsCountedAsAHelloRetryRequestOnTheBackendLeg() throws Exception {
        // our key shares are X25519MLKEM768 and x25519; this backend takes secp384r1 only, which we offer without a share
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-groups", "P-384");
        start(s.port, "server-name = backend.internal", "");
        var r = curl();
        assertThat(r.exit()).as(r.all()).isZero();
        Map<String, String> hrr = Map.of("listener", "reenc", "leg", "backend", "group", "secp384r1");
        ProxyHarness.await(() -> valueOrZero("tlslens_hello_retry_requests_total", hrr) >= 1, "a backend HelloRetryRequest counted");
        assertThat(valueOrZero("tlslens_hello_retry_requests_total", Map.of("listener", "reenc", "leg", "frontend")))
                .as("curl sends an x25519 share our listener takes").isZero();
        assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", "reenc", "leg", "backend"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void backendResumingOurSessionIsCountedOnTheBackendLeg() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"));
        start(s.port, "server-name = backend.internal", "");
        // the first backend handshake is full and brings a session ticket; later ones offer it and s_server resumes
        Map<String, String> accepted = Map.of("listener", "reenc", "leg", "backend", "result", "accepted");
        for (int i = 0; i < 5 && valueOrZero("tlslens_session_resumptions_total", accepted) < 1; i++) {
            var r = curl();
            assertThat(r.exit()).as(r.all()).isZero();
            ProxyHarness.await(() -> valueOrZero("tlslens_handshakes_total", Map.of("listener", "reenc", "leg", "backend")) >= 1,
                    "a backend handshake counted");
        }
        assertThat(valueOrZero("tlslens_session_resumptions_total", accepted)).isGreaterThanOrEqualTo(1);
        ProxyHarness.await(() -> valueOrZero("tlslens_handshakes_total",
                Map.of("listener", "reenc", "leg", "backend", "resumed", "true")) >= 1, "a resumed backend handshake counted");
        assertThat(valueOrZero("tlslens_handshakes_total", Map.of("listener", "reenc", "leg", "backend", "resumed", "false")))
                .as("the first one was full").isGreaterThanOrEqualTo(1);
    }

    /** @return the sum of the series of {@code name} matching {@code labels} (0 when none exists yet, or /metrics failed) */
    private double valueOrZero(String name, Map<String, String> labels) {
        try {
            return proxy.value(name, labels);
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void backendAcceptingNoneOfOurAlpnIsAlpnMismatch() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-alpn", "h2");
        start(s.port, "server-name = backend.internal, alpn = [\"http/1.1\"]", "");
        var r = curl();
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = backendFailure("alpn_mismatch");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("no_application_protocol");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("backend");
        assertThat(e.path("summary").asText()).contains("none of the ALPN protocols tlslens offered (http/1.1, backend.tls.alpn)");
        assertThat(e.path("hints").get(0).asText()).contains("backend.tls.alpn");
    }

    @Test
    void backendAlpnWithAProtocolInCommonNegotiatesIt() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-alpn", "http/1.1");
        start(s.port, "server-name = backend.internal, alpn = [\"h2\", \"http/1.1\"]", "");
        var r = curl();
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("s_server");
        assertThat(proxy.log.withCause("alpn_mismatch")).isEmpty();
    }

    @Test
    void plaintextBackendIsNotTls() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                // answers like nginx on its plain-HTTP port: 400 at once, whatever arrived
                try (Socket s = http.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    s.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            start(http.getLocalPort(), "server-name = backend.internal", "");
            var r = curl();
            assertThat(r.exit()).as(r.all()).isNotZero();
            JsonNode e = backendFailure("not_tls");
            assertThat(e.path("evidence").path("first_bytes_text").asText()).startsWith("HTTP/1.1 400");
            assertThat(e.path("summary").asText()).contains("wrong version number");
        }
    }

    @Test
    void backendOnlySpeakingTls11IsAVersionMismatch() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        start(s.port, "server-name = backend.internal", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("protocol_version_mismatch");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("backend");
        assertThat(e.path("summary").asText()).contains("we offered TLS 1.2–1.3").contains("backend accepts TLS 1.1 (probe)");
        assertThat(e.path("evidence").path("backend_versions").asText()).isEqualTo("TLS 1.1");
    }

    @Test
    void backendWithOnlyCbcSuitesIsNoSharedCipher() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        start(s.port, "server-name = backend.internal, protocols = [\"TLSv1.2\"]", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("no_shared_cipher");
        assertThat(e.path("summary").asText()).contains("it chose TLS 1.2: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("handshake_failure");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("backend");
    }

    @Test
    void backendAcceptingOnlyAGroupWeDoNotOfferIsNoSharedGroup() throws Exception {
        // the backend policy offers X25519MLKEM768, x25519, secp256r1, secp384r1; this backend takes secp521r1 only
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-groups", "P-521");
        start(s.port, "server-name = backend.internal", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("no_shared_group");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("backend");
        assertThat(e.path("summary").asText()).contains("with a cipher suite we offer").contains("TLS 1.3")
                .contains("no key-exchange group");
        assertThat(e.path("evidence").path("offered_groups").asText()).contains("x25519").contains("secp384r1")
                .doesNotContain("secp521r1");
        assertThat(e.path("hints").get(0).asText()).contains("backend.tls.policy");
    }

    @Test
    void selfSignedBackendIsUntrusted() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.selfSigned("backend.internal")), null);
        start(s.port, "server-name = backend.internal", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("certificate_untrusted");
        assertThat(e.path("evidence").path("verifier").asText()).startsWith("no_trust_anchor");
        assertThat(e.path("certificate").path("subject").asText()).isEqualTo("CN=backend.internal");
    }

    @Test
    void expiredBackendCertificate() throws Exception {
        Instant now = Instant.now();
        OpensslServer s = backend(pki.files("be", pki.leaf(List.of("backend.internal"), now.minus(Duration.ofDays(60)),
                now.minus(Duration.ofDays(2))), pki.intermediate.cert()), dir.resolve("intermediate.pem"));
        start(s.port, "server-name = backend.internal", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("certificate_expired");
        assertThat(e.path("certificate").path("not_after").asText()).isNotBlank();
    }

    @Test
    void notYetValidBackendCertificate() throws Exception {
        Instant now = Instant.now();
        OpensslServer s = backend(pki.files("be", pki.leaf(List.of("backend.internal"), now.plus(Duration.ofDays(2)),
                now.plus(Duration.ofDays(60))), pki.intermediate.cert()), dir.resolve("intermediate.pem"));
        start(s.port, "server-name = backend.internal", "");
        assertThat(curl().exit()).isNotZero();
        backendFailure("certificate_not_yet_valid");
    }

    @Test
    void backendNameNotCoveredIsAHostnameMismatch() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"));
        start(s.port, "server-name = api.internal, verify-hostname = true", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("certificate_hostname_mismatch");
        assertThat(e.path("summary").asText()).contains("api.internal");
    }

    @Test
    void backendSendingItsLeafWithoutTheIntermediateIsIncomplete() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal")), null);
        start(s.port, "server-name = backend.internal", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("certificate_chain_incomplete");
        assertThat(e.path("evidence").path("verifier").asText()).startsWith("no_trust_anchor");
        assertThat(e.path("certificate").path("chain_length").asInt()).isEqualTo(1);
    }

    @Test
    void backendRequiringMtlsWithoutOurCertificateIsMissing() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-Verify", "1", "-CAfile", dir.resolve("root.pem").toString());
        start(s.port, "server-name = backend.internal", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("client_certificate_missing");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("backend");
    }

    @Test
    void backendRejectingOurClientCertificate() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"), "-Verify", "1", "-verify_return_error", "-CAfile", dir.resolve("root.pem").toString());
        Path foreign = pki.foreign("client", "tlslens-client");
        start(s.port, "server-name = backend.internal, certificate { cert = \"" + foreign + "\", key = \""
                + foreign.toString().replace(".pem", ".key") + "\" }", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("client_certificate_rejected");
        assertThat(e.path("evidence").path("reason").asText()).contains("unknown_ca");
    }

    @Test
    void backendThatNeverAnswersIsAHandshakeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().read(new byte[4096]);
                    Thread.sleep(5000);
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            start(silent.getLocalPort(), "server-name = backend.internal", "handshake-timeout = 1s,");
            assertThat(curl().exit()).isNotZero();
            JsonNode e = backendFailure("handshake_timeout");
            assertThat(e.path("evidence").path("stage").asText()).isEqualTo("awaiting ServerHello");
        }
    }

    @Test
    void backendClosingAfterOurClientHelloIsPeerClosed() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = rude.accept()) {
                    s.getInputStream().read(new byte[4096]);
                } catch (Exception ignored) {
                    // closed
                }
            });
            start(rude.getLocalPort(), "server-name = backend.internal", "");
            assertThat(curl().exit()).isNotZero();
            backendFailure("peer_closed");
        }
    }

    @Test
    void originateModeSpeaksTlsToTheBackendForAPlainClient() throws Exception {
        OpensslServer s = backend(pki.files("be", pki.leaf("backend.internal"), pki.intermediate.cert()),
                dir.resolve("intermediate.pem"));
        proxy.start("{ name = egress, bind = \"127.0.0.1:" + port + "\", mode = originate, backend { address = \"127.0.0.1:"
                + s.port + "\", tls { enabled = true, trust = \"" + dir.resolve("root.pem") + "\", server-name = backend.internal } } }");
        try (Socket c = new Socket("127.0.0.1", port)) {
            c.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.0 200").contains("s_server");
        }
        assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", "egress", "leg", "backend", "mode", "originate")))
                .isEqualTo(1);
    }

    @Test
    void backendCertificateOnTheCrlIsRevoked() throws Exception {
        TestPki.Issued leaf = pki.leaf("backend.internal");
        OpensslServer s = backend(pki.files("be", leaf, pki.intermediate.cert()), dir.resolve("intermediate.pem"));
        Path crl = pki.crl("intermediate.crl", leaf.cert());
        start(s.port, "server-name = backend.internal, crl = \"" + crl + "\"", "");
        assertThat(curl().exit()).isNotZero();
        JsonNode e = backendFailure("certificate_revoked");
        assertThat(e.path("summary").asText()).contains("CRL");
        assertThat(crlChecks("revoked")).isEqualTo(1);
        assertThat(crlChecks("good")).isZero();
    }

    @Test
    void aBackendCertificateNotOnTheCrlIsCountedAsAGoodCrlCheck() throws Exception {
        TestPki.Issued leaf = pki.leaf("backend.internal");
        OpensslServer s = backend(pki.files("be", leaf, pki.intermediate.cert()), dir.resolve("intermediate.pem"));
        Path crl = pki.crl("intermediate.crl", pki.leaf("someone-else.internal").cert());
        start(s.port, "server-name = backend.internal, crl = \"" + crl + "\"", "");
        assertThat(curl().exit()).isZero();
        assertThat(crlChecks("good")).isEqualTo(1);
        assertThat(crlChecks("revoked")).isZero();
        assertThat(proxy.log.withCause("certificate_revoked")).isEmpty();
    }

    private double crlChecks(String result) throws Exception {
        return proxy.value("tlslens_revocation_checks_total",
                Map.of("leg", "backend", "method", "crl", "result", result));
    }

    /** Starts {@code openssl ocsp} on {@code ocspPort}, listing {@code leaf} as revoked an hour ago. */
    private void revokedByOcsp(int ocspPort, TestPki.Issued leaf) throws Exception {
        DateTimeFormatter asn1 = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
        String expiry = asn1.format(leaf.cert().getNotAfter().toInstant());
        String revokedAt = asn1.format(Instant.now().minus(Duration.ofHours(1)));
        Path index = dir.resolve("index.txt");
        String serial = leaf.cert().getSerialNumber().toString(16).toUpperCase();
        serial = serial.length() % 2 == 0 ? serial : "0" + serial; // openssl's index.txt holds whole bytes
        Files.writeString(index, "R\t" + expiry + "\t" + revokedAt + "\t" + serial + "\tunknown\t/CN=backend.internal\n");
        Process responder = new ProcessBuilder("openssl", "ocsp", "-index", index.toString(), "-port", Integer.toString(ocspPort),
                "-rsigner", dir.resolve("intermediate.pem").toString(), "-rkey", dir.resolve("intermediate.key").toString(),
                "-CA", dir.resolve("intermediate.pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ocsp.log").toFile()).start();
        closeMe.add(responder::destroy);
        // openssl ocsp serves one connection at a time and wedges on an empty one: wait for its log line, don't probe
        ProxyHarness.await(() -> {
            try {
                return Files.readString(dir.resolve("ocsp.log")).contains("waiting for OCSP client connections");
            } catch (IOException notYet) {
                return false;
            }
        }, "openssl ocsp responder");
    }

    @Test
    void backendCertificateRevokedByItsOcspResponder() throws Exception {
        int ocspPort = ProxyHarness.freePort();
        TestPki.Issued leaf = pki.leafWithOcsp("backend.internal", "http://127.0.0.1:" + ocspPort + "/");
        OpensslServer s = backend(pki.files("be", leaf, pki.intermediate.cert()), dir.resolve("intermediate.pem"));
        revokedByOcsp(ocspPort, leaf);
        start(s.port, "server-name = backend.internal, ocsp = true", "");
        var r = curl();
        assertThat(r.exit()).as("curl must fail; responder log:\n" + Files.readString(dir.resolve("ocsp.log")))
                .isNotZero();
        JsonNode e = backendFailure("certificate_revoked");
        assertThat(e.path("summary").asText()).contains("OCSP responder http://127.0.0.1:" + ocspPort);
        assertThat(proxy.value("tlslens_revocation_checks_total", Map.of("listener", "reenc", "leg", "backend",
                "method", "ocsp", "result", "revoked"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnreachableOcspResponderIsASoftFailCountedAsUnavailable() throws Exception {
        int dead = ProxyHarness.freePort(); // no responder there
        TestPki.Issued leaf = pki.leafWithOcsp("backend.internal", "http://127.0.0.1:" + dead + "/");
        OpensslServer s = backend(pki.files("be", leaf, pki.intermediate.cert()), dir.resolve("intermediate.pem"));
        start(s.port, "server-name = backend.internal, ocsp = true", "");
        var r = curl();
        assertThat(r.exit()).as("served: soft-fail " + r.all()).isZero();
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_revocation_checks_total", Map.of("listener", "reenc", "leg", "backend",
                        "method", "ocsp", "result", "unavailable")) >= 1;
            } catch (Exception e) {
                return false;
            }
        }, "an unavailable OCSP check counted");
        assertThat(proxy.log.withCause("certificate_revoked")).isEmpty();
    }

    @Test
    void aLateOcspRevokedIsStillReportedAndLaterConnectionsAreRefused() throws Exception {
        int responderPort = ProxyHarness.freePort();
        int slowPort = ProxyHarness.freePort();
        TestPki.Issued leaf = pki.leafWithOcsp("backend.internal", "http://127.0.0.1:" + slowPort + "/");
        OpensslServer s = backend(pki.files("be", leaf, pki.intermediate.cert()), dir.resolve("intermediate.pem"));
        revokedByOcsp(responderPort, leaf);
        // the responder answers only after tlslens' 3 s wait: the first connection is served meanwhile (soft-fail)
        closeMe.add(new DelayingForwarder(slowPort, responderPort, Duration.ofMillis(4500)));
        start(s.port, "server-name = backend.internal, ocsp = true", "");
        var first = curl();
        assertThat(first.exit()).as(first.all()).isZero();
        JsonNode e = backendFailure("certificate_revoked");
        assertThat(e.path("summary").asText()).contains("revoked");
        var later = curl();
        assertThat(later.exit()).as("a later connection is refused: the revoked answer is cached").isNotZero();
        ProxyHarness.await(() -> proxy.log.withCause("certificate_revoked").size() == 2, "the second refusal logged");
    }

    /** A TCP forwarder that waits {@code delay} before passing on what a client sent, then relays the answer. */
    private static final class DelayingForwarder implements AutoCloseable {
        private final ServerSocket server;

        DelayingForwarder(int port, int target, Duration delay) throws IOException {
            server = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket in = server.accept(); Socket out = new Socket("127.0.0.1", target)) {
                        Thread.sleep(delay.toMillis());
                        in.setSoTimeout(200);
                        byte[] buf = new byte[65536];
                        try {
                            for (int n; (n = in.getInputStream().read(buf)) > 0; ) {
                                out.getOutputStream().write(buf, 0, n);
                            }
                        } catch (java.net.SocketTimeoutException requestDone) {
                            // the client waits for the answer now
                        }
                        out.getOutputStream().flush();
                        out.shutdownOutput();
                        in.getOutputStream().write(out.getInputStream().readAllBytes());
                    } catch (Exception e) {
                        // closed
                    }
                }
            }, "delaying-forwarder");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void backendWhoseAcceptQueueIsFullIsAConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                // never accepted: once the accept queue is full the kernel drops further SYNs, so connects hang
                for (int i = 0; i < 4; i++) {
                    Socket filler = new Socket();
                    filler.connect(full.getLocalSocketAddress(), 300);
                    fillers.add(filler);
                }
            } catch (java.net.SocketTimeoutException queueFull) {
                // that is the state we want
            }
            proxy.start(ProxyHarness.listener("slowbackend", port, front, full.getLocalPort(), "", "")
                    .replace("backend { address", "backend { connect-timeout = 500ms, address"));
            assertThat(curl().exit()).isNotZero();
            ProxyHarness.await(() -> proxy.log.withCause("backend_connect_timeout").size() > 0, "backend_connect_timeout");
            assertThat(proxy.value("tlslens_backend_connect_failures_total", Map.of("listener", "slowbackend",
                    "cause", "backend_connect_timeout"))).isEqualTo(1);
            for (Socket f : fillers) {
                f.close();
            }
        }
    }
}
