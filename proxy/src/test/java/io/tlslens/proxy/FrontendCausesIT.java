package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every frontend cause of the first release, produced for real by a real client (openssl s_client,
 * curl, the JDK's own ClientHello on a raw socket for stalls) against the running proxy, and
 * asserted on /metrics and in the JSON log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontendCausesIT {
    Path dir;
    ProxyHarness proxy;
    HttpServer backend;
    H2cBackend h2c;
    TestPki pki;
    final Map<String, Integer> ports = new java.util.HashMap<>();

    @BeforeAll
    void start() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("tlslens-it");
        pki = new TestPki(dir);
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", ex -> {
            byte[] body = "hello from backend\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        h2c = new H2cBackend();
        int be = backend.getAddress().getPort();
        Instant now = Instant.now();
        var inter = pki.intermediate.cert();
        Path good = pki.files("good", pki.leaf("localhost", "127.0.0.1"), inter);
        Path expired = pki.files("expired", pki.leaf(List.of("localhost"), now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(10))), inter);
        Path notYet = pki.files("notyet", pki.leaf(List.of("localhost"), now.plus(Duration.ofDays(10)),
                now.plus(Duration.ofDays(100))), inter);
        Path selfSigned = pki.files("selfsigned", pki.selfSigned("localhost"));
        Path leafOnly = pki.files("leafonly", pki.leaf("localhost"));
        Path wrongName = pki.files("wrongname", pki.leaf("www.example.net"), inter);
        proxy = new ProxyHarness(dir);
        proxy.start(
                listener("good", good, be, "", ""),
                listener("expired", expired, be, "", ""),
                listener("notyet", notYet, be, "", ""),
                listener("selfsigned", selfSigned, be, "", ""),
                listener("leafonly", leafOnly, be, "", ""),
                listener("wrongname", wrongName, be, "", ""),
                listener("sni", good, be, "require-sni = true", ""),
                listener("slow", good, be, "", "handshake-timeout = 1s,"),
                listener("private", good, be, "client-trust = \"" + dir.resolve("root.pem") + "\"", ""),
                listener("nobackend", good, ProxyHarness.freePort(), "", ""),
                listener("nohttp", good, be, "", "plaintext-http-answer = false,"),
                listener("abandon", good, be, "", ""),
                listener("unreachable", good, 9, "", "").replace("127.0.0.1:9", "backend.invalid:9"),
                listener("partial", good, be, "protocols = [\"TLSv1.2\"], cipher-suites = "
                        + "[\"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384\", \"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\"]", ""),
                listener("alpn", good, h2c.port, "alpn = [\"h2\", \"http/1.1\"]", ""));
    }

    private String listener(String name, Path cert, int backendPort, String tls, String extra) throws Exception {
        int port = ProxyHarness.freePort();
        ports.put(name, port);
        return ProxyHarness.listener(name, port, cert, backendPort, tls, extra);
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
        backend.stop(0);
        h2c.close();
    }

    private String addr(String listener) {
        return "127.0.0.1:" + ports.get(listener);
    }

    private List<String> curl(String listener, String... extra) {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--resolve",
                "localhost:" + ports.get(listener) + ":127.0.0.1"));
        cmd.addAll(Arrays.asList(extra));
        cmd.add("https://localhost:" + ports.get(listener) + "/");
        return cmd;
    }

    private JsonNode failure(String listener, String cause) throws Exception {
        return failure(listener, cause, e -> true);
    }

    /** Waits for the failure line of this listener and cause that matches {@code which}, checks /metrics and the common fields. */
    private JsonNode failure(String listener, String cause, java.util.function.Predicate<JsonNode> which) throws Exception {
        java.util.function.Predicate<JsonNode> match = x -> listener.equals(x.path("listener").asText())
                && cause.equals(x.path("cause").asText()) && which.test(x);
        ProxyHarness.await(() -> proxy.log.events().stream().anyMatch(match), "cause " + cause + " on listener " + listener);
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", listener, "cause", cause)))
                .as("tlslens_handshake_failures_total{listener=%s,cause=%s}", listener, cause).isGreaterThanOrEqualTo(1);
        JsonNode e = proxy.log.events().stream().filter(match).findFirst().orElseThrow();
        assertThat(e.path("event").asText()).isEqualTo("tls_handshake_failure");
        assertThat(e.path("leg").asText()).isEqualTo("frontend");
        assertThat(e.path("mode").asText()).isEqualTo("terminate");
        assertThat(e.path("summary").asText()).isNotBlank();
        assertThat(e.path("hints").isArray() && e.path("hints").size() > 0).as("hints").isTrue();
        assertThat(e.path("connection_id").asText()).isNotBlank();
        assertThat(e.path("client_address").asText()).startsWith("127.0.0.1:");
        return e;
    }

    private List<JsonNode> eventsOf(String listener) {
        return proxy.log.events().stream().filter(x -> listener.equals(x.path("listener").asText())).toList();
    }

    @Test
    void goodHandshakeReachesTheBackendAndCountsASuccess() throws Exception {
        int loggedBefore = eventsOf("good").size();
        var r = ProxyHarness.run(curl("good", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).isEqualTo("hello from backend\n");
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_handshakes_total", Map.of("listener", "good", "leg", "frontend")) >= 1;
            } catch (Exception e) {
                return false;
            }
        }, "a counted handshake");
        assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", "good", "protocol", "TLS 1.3")))
                .isGreaterThanOrEqualTo(1);
        assertThat(proxy.metrics()).containsPattern("tlslens_handshakes_total\\{cipher=\"TLS_AES_(128_GCM_SHA256|256_GCM_SHA384)\"");
        assertThat(proxy.value("tlslens_client_hello_total", Map.of("listener", "good", "max_version", "TLS 1.3",
                "sni", "present"))).isGreaterThanOrEqualTo(1);
        assertThat(proxy.value("tlslens_bytes_total", Map.of("listener", "good", "direction", "backend_to_client")))
                .isGreaterThan(0);
        assertThat(eventsOf("good")).hasSize(loggedBefore);
    }

    @Test
    void protocolVersionMismatch() throws Exception {
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("good"), "-servername", "localhost",
                "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("good", "protocol_version_mismatch");
        assertThat(e.path("summary").asText()).contains("TLS 1.1").contains("TLS 1.2–1.3");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("proxy");
        assertThat(e.path("client_hello").path("server_name").asText()).isEqualTo("localhost");
        assertThat(e.path("client_hello").path("ja4").asText()).startsWith("t11d");
        assertThat(e.path("client_hello").path("extensions").toString()).contains("server_name");
    }

    @Test
    void noSharedCipher() throws Exception {
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("good"), "-servername", "localhost",
                "-tls1_2", "-cipher", "AES128-SHA:AES256-GCM-SHA384"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("good", "no_shared_cipher");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("handshake_failure");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("proxy");
        assertThat(e.path("client_hello").path("cipher_suites").toString()).contains("TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void ffdhe2048OnlyIsNoSharedGroupNamingBothLists() throws Exception {
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("good"), "-servername", "localhost",
                "-groups", "ffdhe2048"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("good", "no_shared_group", x -> x.path("summary").asText().contains("ffdhe2048"));
        assertThat(e.path("summary").asText()).isEqualTo("client offers groups ffdhe2048; listener 'good' accepts "
                + "X25519MLKEM768, x25519, secp256r1, secp384r1");
        assertThat(e.path("evidence").has("judgement_disagreement")).as(e.toString()).isFalse();
        assertThat(e.path("evidence").path("listener_groups").asText()).isEqualTo("X25519MLKEM768, x25519, secp256r1, secp384r1");
        assertThat(e.path("engine_error").asText()).contains("NO_SHARED_GROUP");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("handshake_failure");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("proxy");
        assertThat(e.path("client_hello").path("groups").toString()).isEqualTo("[\"ffdhe2048\"]");
        assertThat(e.path("client_hello").path("key_share_groups").toString()).isEqualTo("[\"ffdhe2048\"]");
        assertThat(e.path("hints").toString()).contains("ssl_ecdh_curve");
    }

    @Test
    void aGroupOutsideThePolicyIsRefusedByTheEngineToo() throws Exception {
        // Netty's own defaults include P-521; the engine is configured with the policy's groups only
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("good"), "-servername", "localhost",
                "-groups", "P-521"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("good", "no_shared_group", x -> x.path("summary").asText().contains("secp521r1"));
        assertThat(e.path("summary").asText()).startsWith("client offers groups secp521r1; listener 'good' accepts");
        assertThat(e.path("evidence").has("judgement_disagreement")).isFalse();
    }

    @Test
    void rsaOnlySignatureSchemesAgainstAnEcdsaListener() throws Exception {
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("good"), "-servername", "localhost",
                "-sigalgs", "RSA+SHA256"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("good", "no_shared_group", x -> x.path("summary").asText().contains("signature schemes"));
        assertThat(e.path("summary").asText()).isEqualTo("client offers only RSA signature schemes; the certificate is "
                + "ECDSA P-256");
        assertThat(e.path("engine_error").asText()).contains("NO_COMMON_SIGNATURE_ALGORITHMS");
        assertThat(e.path("evidence").path("client_signature_schemes").asText()).isEqualTo("rsa_pkcs1_sha256");
        assertThat(e.path("evidence").has("judgement_disagreement")).isFalse();
        assertThat(e.path("client_hello").path("signature_schemes").toString()).isEqualTo("[\"rsa_pkcs1_sha256\"]");
    }

    @Test
    void alpnSharingNothingIsRefusedWithNoApplicationProtocol() throws Exception {
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("alpn"), "-servername", "localhost",
                "-alpn", "foo"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.all()).contains("alert number 120");
        JsonNode e = failure("alpn", "alpn_mismatch");
        assertThat(e.path("summary").asText()).isEqualTo("client offers ALPN foo; listener 'alpn' accepts h2, http/1.1");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("no_application_protocol");
        assertThat(e.path("alert").path("code").asInt()).isEqualTo(120);
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("proxy");
        assertThat(e.path("client_hello").path("alpn").toString()).isEqualTo("[\"foo\"]");
        assertThat(e.path("hints").toString()).contains("HAProxy: bind :443 ssl crt site.pem alpn h2,http/1.1");
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "alpn", "cause", "alpn_mismatch",
                "alert", "no_application_protocol", "alert_sender", "proxy"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void curlHttp2NegotiatesH2AndReachesAnH2cBackend() throws Exception {
        var r = ProxyHarness.run(curl("alpn", "--http2", "-v", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stderr()).contains("ALPN: server accepted h2");
        assertThat(r.stdout()).isEqualTo(H2cBackend.BODY);
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_handshakes_total", Map.of("listener", "alpn", "leg", "frontend")) >= 1;
            } catch (Exception ex) {
                return false;
            }
        }, "a counted handshake on listener alpn");
        assertThat(eventsOf("alpn")).as("no failure logged for the h2 client")
                .allMatch(x -> "alpn_mismatch".equals(x.path("cause").asText()));
    }

    @Test
    void handshakeThenCloseWithoutDataIsAbandonedNotAFailure() throws Exception {
        double before = proxy.value("tlslens_handshakes_abandoned_total", Map.of("listener", "abandon"));
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("abandon"), "-servername", "localhost",
                "-CAfile", dir.resolve("root.pem").toString()), ""); // stdin at EOF: handshake, then close
        assertThat(r.all()).contains("Verify return code: 0");
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_handshakes_abandoned_total", Map.of("listener", "abandon", "leg", "frontend"))
                        == before + 1;
            } catch (Exception e) {
                return false;
            }
        }, "one abandoned handshake");
        assertThat(eventsOf("abandon")).isEmpty();
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "abandon"))).isZero();
    }

    @Test
    void plaintextHttpToTlsPort() throws Exception {
        var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "5", "-w", "status=%{http_code}",
                "http://" + addr("good") + "/"));
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.all()).contains("status=400").contains("use https://");
        JsonNode e = failure("good", "plaintext_http_to_tls_port",
                x -> x.path("evidence").path("first_bytes_text").asText().startsWith("GET / HTTP/1.1"));
        assertThat(e.path("summary").asText()).contains("https://");
    }

    @Test
    void aSuiteTheEngineLacksIsDroppedAndTheEnginesDefaultsAreNotServed() throws Exception {
        var ok = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("partial"), "-servername", "localhost",
                "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"), "Q\n");
        assertThat(ok.all()).contains("ECDHE-ECDSA-AES128-GCM-SHA256");
        // the engine's default TLS 1.2 suites must not be accepted in place of the dropped one
        var wider = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("partial"), "-servername",
                "localhost", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES256-GCM-SHA384"), "Q\n");
        assertThat(wider.exit()).as(wider.all()).isNotZero();
        failure("partial", "no_shared_cipher");
    }

    @Test
    void plaintextHttpWithoutTheAnswerIsClosedSilently() throws Exception {
        var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "5", "http://" + addr("nohttp") + "/"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.all()).doesNotContain("400");
        failure("nohttp", "plaintext_http_to_tls_port", x -> true);
    }

    @Test
    void notTls() throws Exception {
        try (Socket s = new Socket("127.0.0.1", ports.get("good"))) {
            s.getOutputStream().write("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        JsonNode e = failure("good", "not_tls");
        assertThat(e.path("evidence").path("first_bytes_hex").asText()).startsWith("5353482d");
    }

    @Test
    void selfSignedIsUntrusted() throws Exception {
        var r = ProxyHarness.run(curl("selfsigned"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("selfsigned", "certificate_untrusted");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("client");
        assertThat(e.path("certificate").path("subject").asText()).contains("localhost");
    }

    @Test
    void hostnameMismatchAfterACompletedHandshake() throws Exception {
        var r = ProxyHarness.run(curl("wrongname", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.stderr()).contains("localhost");
        JsonNode e = failure("wrongname", "certificate_hostname_mismatch");
        assertThat(e.path("certificate").path("san").toString()).contains("www.example.net");
        assertThat(e.path("summary").asText()).contains("localhost");
    }

    @Test
    void expiredCertificate() throws Exception {
        var r = ProxyHarness.run(curl("expired", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("expired", "certificate_expired");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("certificate_expired");
        assertThat(e.path("certificate").path("not_after").asText()).isNotBlank();
    }

    @Test
    void notYetValidCertificate() throws Exception {
        var r = ProxyHarness.run(curl("notyet", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isNotZero();
        failure("notyet", "certificate_not_yet_valid");
    }

    @Test
    void leafWithoutIntermediateIsIncomplete() throws Exception {
        var r = ProxyHarness.run(curl("leafonly", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("leafonly", "certificate_chain_incomplete");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("unknown_ca");
        assertThat(e.path("certificate").path("chain_length").asInt()).isEqualTo(1);
    }

    @Test
    void sniMissing() throws Exception {
        var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr("sni"), "-noservername"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("sni", "sni_missing");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("missing_extension");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("proxy");
    }

    @Test
    void partialRecordStallIsATimeoutWithMtuSuspected() throws Exception {
        byte[] hello = JdkClientHello.bytes("localhost");
        try (Socket s = new Socket("127.0.0.1", ports.get("slow"))) {
            s.getOutputStream().write(hello, 0, Math.min(120, hello.length - 1));
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        JsonNode e = failure("slow", "handshake_timeout", x -> x.path("evidence").has("mtu_suspected"));
        assertThat(e.path("evidence").path("stage").asText()).isEqualTo("client_hello");
        assertThat(e.path("evidence").path("mtu_suspected").asText()).isEqualTo("true");
        assertThat(e.path("evidence").path("partial_record_bytes").asInt()).isEqualTo(120);
        assertThat(e.path("summary").asText()).contains("MTU");
    }

    @Test
    void stallAfterServerFlightIsATimeoutAwaitingTheClient() throws Exception {
        byte[] hello = JdkClientHello.bytes("127.0.0.1");
        int before = (int) proxy.value("tlslens_handshake_failures_total", Map.of("listener", "slow", "cause", "handshake_timeout"));
        try (Socket s = new Socket("127.0.0.1", ports.get("slow"))) {
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertThat(in.read()).as("server flight").isEqualTo(22);
            while (in.read() != -1) {
                // drain until the proxy gives up on us
            }
        }
        ProxyHarness.await(() -> proxy.log.events().stream().anyMatch(x -> "slow".equals(x.path("listener").asText())
                && x.path("evidence").path("stage").asText().equals("awaiting client Finished")), "stage awaiting client Finished");
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "slow", "cause", "handshake_timeout")))
                .isGreaterThan(before);
    }

    @Test
    void closeAfterServerFlightIsPeerClosed() throws Exception {
        byte[] hello = JdkClientHello.bytes("localhost");
        try (Socket s = new Socket("127.0.0.1", ports.get("private"))) {
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            assertThat(s.getInputStream().read()).isEqualTo(22);
        }
        JsonNode e = failure("private", "peer_closed");
        assertThat(e.path("evidence").path("stage").asText()).isEqualTo("after server flight");
    }

    @Test
    void unknownCaForAChainClientsAreExpectedToTrustIsAPeerAlert() throws Exception {
        var r = ProxyHarness.run(curl("private"));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = failure("private", "peer_alert");
        assertThat(e.path("alert").path("description").asText()).isEqualTo("unknown_ca");
        assertThat(e.path("alert").path("sender").asText()).isEqualTo("client");
    }

    @Test
    void emptyConnectionsAreCountedApartAndNotLogged() throws Exception {
        double before = proxy.value("tlslens_empty_connections_total", Map.of("listener", "sni"));
        int logged = eventsOf("sni").size();
        for (int i = 0; i < 3; i++) {
            new Socket("127.0.0.1", ports.get("sni")).close();
        }
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_empty_connections_total", Map.of("listener", "sni")) >= before + 3;
            } catch (Exception e) {
                return false;
            }
        }, "3 empty connections");
        assertThat(eventsOf("sni")).hasSize(logged);
    }

    @Test
    void backendConnectRefusedIsCountedAndLogged() throws Exception {
        var r = ProxyHarness.run(curl("nobackend", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isNotZero();
        ProxyHarness.await(() -> proxy.log.events().stream().anyMatch(x -> "nobackend".equals(x.path("listener").asText())
                && "backend_connect_refused".equals(x.path("cause").asText())), "backend_connect_refused");
        assertThat(proxy.value("tlslens_backend_connect_failures_total", Map.of("listener", "nobackend",
                "cause", "backend_connect_refused"))).isEqualTo(1);
        JsonNode e = eventsOf("nobackend").get(0);
        assertThat(e.path("leg").asText()).isEqualTo("backend");
    }

    @Test
    void backendThatCannotBeResolvedIsUnreachable() throws Exception {
        // .invalid never resolves (RFC 6761): the TCP connect cannot even start
        var r = ProxyHarness.run(curl("unreachable", "--cacert", dir.resolve("root.pem").toString()));
        assertThat(r.exit()).as(r.all()).isNotZero();
        JsonNode e = proxy.awaitConnectFailure("unreachable", "backend_unreachable");
        assertThat(e.path("leg").asText()).isEqualTo("backend");
        assertThat(e.path("backend_address").asText()).isEqualTo("backend.invalid:9");
        assertThat(e.path("hints").toString()).contains("backend");
    }

    @Test
    void debugViewListsFailuresNewestFirst() throws Exception {
        try (Socket s = new Socket("127.0.0.1", ports.get("good"))) {
            OutputStream out = s.getOutputStream();
            out.write("GET /debug-probe HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.getInputStream().read();
        }
        failure("good", "plaintext_http_to_tls_port",
                x -> x.path("evidence").path("first_bytes_text").asText().startsWith("GET /debug-probe"));
        var res = proxy.get("/debug/handshakes");
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.body());
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).path("cause").asText()).isNotBlank();
    }
}
