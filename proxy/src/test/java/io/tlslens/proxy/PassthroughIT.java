package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.FixHints;
import io.tlslens.inspector.diagnosis.Leg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passthrough mode with real peers: openssl s_client and curl as clients, openssl s_server (and a
 * python3 http.server, JDK sockets) as backends. Every cause is produced by the real failure, then
 * read back from /metrics and the JSON failure log.
 */
class PassthroughIT {
    @TempDir
    Path dir;
    TestPki pki;
    ProxyHarness proxy;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        proxy = new ProxyHarness(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A passthrough listener object; {@code backend} is "host:port" or none. */
    static String listener(String name, int port, String backend, String extra) {
        return "{ name = " + name + ", bind = \"127.0.0.1:" + port + "\", mode = passthrough, handshake-timeout = 3s, "
                + extra + " backend { address = " + (backend.equals("none") ? "none" : "\"" + backend + "\"") + " } }";
    }

    /** Writes leaf (+ key) and, separately, its chain file; returns [cert, key, chain or null]. */
    Path[] serverFiles(String name, TestPki.Issued leaf, boolean withIntermediate) throws Exception {
        Path cert = pki.files(name, leaf);
        Path key = dir.resolve(name + ".key");
        Path chain = null;
        if (withIntermediate) {
            chain = dir.resolve(name + "-chain.pem");
            Files.writeString(chain, TestPki.pem(pki.intermediate.cert()));
        }
        return new Path[] {cert, key, chain};
    }

    /** Starts {@code openssl s_server -www} on a free port with these files and options; waits until it listens. */
    int sServer(Path[] files, String... options) throws Exception {
        int port = ProxyHarness.freePort();
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", Integer.toString(port),
                "-cert", files[0].toString(), "-key", files[1].toString(), "-www", "-quiet"));
        if (files[2] != null) {
            cmd.addAll(List.of("-cert_chain", files[2].toString()));
        }
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("s_server-" + port + ".log").toFile()).start();
        processes.add(p);
        ProxyHarness.awaitListening(port);
        return port;
    }

    /** openssl s_client through the proxy, verifying against the test root, sending one HTTP request. */
    ProxyHarness.Run sClient(int port, String serverName, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-CAfile", dir.resolve("root.pem").toString(), "-verify_return_error", "-ign_eof"));
        if (serverName != null) {
            cmd.addAll(List.of("-servername", serverName, "-verify_hostname", serverName));
        } else {
            cmd.add("-noservername");
        }
        cmd.addAll(List.of(options));
        return ProxyHarness.run(cmd, "GET / HTTP/1.0\r\n\r\n");
    }

    Map<String, String> labels(String cause, String alert, String sender) {
        return Map.of("listener", "pt", "mode", "passthrough", "leg", "frontend", "cause", cause, "alert", alert,
                "alert_sender", sender);
    }

    JsonNode expectFailure(String cause, String alert, String sender) throws Exception {
        JsonNode e = proxy.awaitFailure("pt", cause);
        assertThat(proxy.value("tlslens_handshake_failures_total", labels(cause, alert, sender)))
                .as("failure %s alert=%s sender=%s in %s", cause, alert, sender, proxy.metrics()).isEqualTo(1);
        assertThat(e.path("mode").asText()).isEqualTo("passthrough");
        assertThat(e.path("leg").asText()).isEqualTo("frontend");
        return e;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    // ------------------------------------------------------------------ relay and routing

    @Test
    void relaysByteForByteBothWaysWithHalfCloseAndCountsTheSuccess() throws Exception {
        TestPki.Issued leaf = pki.leaf("data.example.test");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", leaf.keys().getPrivate(), new char[0], new Certificate[] {leaf.cert(), pki.intermediate.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, new char[0]);
        SSLContext serverCtx = SSLContext.getInstance("TLSv1.3");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        byte[] up = new byte[5 * 1024 * 1024 + 11];
        byte[] down = new byte[8 * 1024 * 1024 + 5];
        new Random(3).nextBytes(up);
        new Random(4).nextBytes(down);
        try (SSLServerSocket backend = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = backend.accept()) {
                    byte[] all = s.getInputStream().readAllBytes(); // to the client's half-close
                    OutputStream out = s.getOutputStream();
                    out.write(down);
                    out.flush();
                    return sha256(all);
                } catch (Exception e) {
                    return "failed: " + e;
                }
            });
            int port = ProxyHarness.freePort();
            // routed by SNI; the default backend is a port nobody listens on
            proxy.start(listener("pt", port, "127.0.0.1:1", "routes = [ { server-names = [\"*.example.test\"], "
                    + "backend { address = \"127.0.0.1:" + backend.getLocalPort() + "\" } } ],"));
            try (SSLSocket s = (SSLSocket) trusting().getSocketFactory().createSocket("127.0.0.1", port)) {
                SSLParameters params = s.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName("data.example.test")));
                s.setSSLParameters(params);
                s.setSoTimeout(20_000);
                // the backend answers only after the whole upload, so one thread writes, half-closes, then reads (the
                // JDK's SSLSocket may close the whole socket when shutdownOutput races a read on another thread)
                s.getOutputStream().write(up);
                s.getOutputStream().flush();
                s.shutdownOutput();
                byte[] answer = s.getInputStream().readAllBytes();
                assertThat(received.get(20, TimeUnit.SECONDS)).isEqualTo(sha256(up));
                assertThat(sha256(answer)).isEqualTo(sha256(down));
            }
        }
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_handshakes_total", Map.of("listener", "pt", "mode", "passthrough", "leg", "frontend",
                        "protocol", "TLS 1.3")) == 1;
            } catch (Exception e) {
                return false;
            }
        }, "one passthrough success counted");
        assertThat(proxy.value("tlslens_bytes_total", Map.of("listener", "pt", "direction", "backend_to_client")))
                .isGreaterThan(down.length);
        assertThat(proxy.value("tlslens_bytes_total", Map.of("listener", "pt", "direction", "client_to_backend")))
                .isGreaterThan(up.length);
        assertThat(proxy.log.events()).as("no failure logged").isEmpty();
    }

    @Test
    void routesBySniExactAndWildcardElseDefault() throws Exception {
        int api = sServer(serverFiles("api", pki.leaf("api.example.test"), true));
        int wild = sServer(serverFiles("wild", pki.leaf("x.apps.example.test"), true));
        int def = sServer(serverFiles("def", pki.leaf("default.example.test"), true));
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + def, "routes = ["
                + "{ server-names = [\"api.example.test\"], backend.address = \"127.0.0.1:" + api + "\" },"
                + "{ server-names = [\"*.apps.example.test\"], backend.address = \"127.0.0.1:" + wild + "\" } ],"));
        assertThat(sClient(port, "api.example.test").all()).contains("CN = api.example.test").contains("Verify return code: 0");
        assertThat(sClient(port, "x.apps.example.test").all()).contains("CN = x.apps.example.test");
        assertThat(sClient(port, "default.example.test").all()).contains("CN = default.example.test");
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_handshakes_total", Map.of("listener", "pt", "mode", "passthrough")) == 3;
            } catch (Exception e) {
                return false;
            }
        }, "three successes");
        assertThat(proxy.log.events()).isEmpty();
    }

    @Test
    void sniUnknownWithoutDefaultIsRefusedWithUnrecognizedName() throws Exception {
        int api = sServer(serverFiles("api", pki.leaf("api.example.test"), true));
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "none", "routes = [ { server-names = [\"api.example.test\"], "
                + "backend.address = \"127.0.0.1:" + api + "\" } ],"));
        var r = sClient(port, "other.example.test");
        assertThat(r.all()).contains("unrecognized name");
        JsonNode e = expectFailure("sni_unknown", "unrecognized_name", "proxy");
        assertThat(e.path("summary").asText()).contains("other.example.test").contains("no default backend");
        assertThat(e.path("backend_address").asText()).isEqualTo("none");
    }

    @Test
    void backendConnectFailureIsReportedOnTheBackendLegWithBackendHints() throws Exception {
        int dead = ProxyHarness.freePort(); // nothing listens there
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + dead, ""));
        assertThat(sClient(port, "api.example.test").exit()).isNotZero();
        JsonNode e = proxy.awaitConnectFailure("pt", "backend_connect_refused");
        assertThat(e.path("leg").asText()).isEqualTo("backend");
        assertThat(e.path("mode").asText()).isEqualTo("passthrough");
        assertThat(e.path("client_hello").path("server_name").asText()).isEqualTo("api.example.test");
        // the same hints terminate mode gives for a backend that refuses connections
        assertThat(e.path("hints").toString()).isEqualTo(
                new ObjectMapper().valueToTree(FixHints.forCause(Cause.BACKEND_CONNECT_REFUSED, Leg.BACKEND)).toString());
        assertThat(proxy.value("tlslens_backend_connect_failures_total",
                Map.of("listener", "pt", "cause", "backend_connect_refused"))).isEqualTo(1);
        // the client's close that follows is not a second outcome (it is processed once the gauge is back at 0)
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_connections_active", Map.of("listener", "pt")) == 0;
            } catch (Exception ex) {
                return false;
            }
        }, "the client connection closed");
        assertThat(proxy.log.events()).hasSize(1);
    }

    @Test
    void relayedClientHellosReachTheCompatibilityView() throws Exception {
        int be = sServer(serverFiles("api", pki.leaf("api.example.test"), true));
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + be, ""));
        sClient(port, "api.example.test");
        sClient(port, "api.example.test", "-tls1_2");
        ProxyHarness.await(() -> {
            try {
                return new ObjectMapper().readTree(proxy.get("/debug/compatibility?policy=intermediate").body())
                        .path("client_hellos").asLong() == 2;
            } catch (Exception ex) {
                return false;
            }
        }, "the two relayed ClientHellos in /debug/compatibility");
    }

    @Test
    void connectThenCloseIsAnEmptyConnectionNotATimeout() throws Exception {
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + ProxyHarness.freePort(), ""));
        for (int i = 0; i < 3; i++) {
            new Socket("127.0.0.1", port).close(); // a TCP health check: connect, close, no byte
        }
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_empty_connections_total", Map.of("listener", "pt")) == 3
                        && proxy.value("tlslens_connections_active", Map.of("listener", "pt")) == 0;
            } catch (Exception ex) {
                return false;
            }
        }, "three empty connections, none left open");
        // a fourth client stalls mid-ClientHello: once its timeout (armed after the others') has fired, any
        // timeout of the three empty ones would have fired too
        try (Socket staller = new Socket("127.0.0.1", port)) {
            staller.getOutputStream().write(new byte[] {22, 3, 1, 2, 0, 1, 0, 1});
            staller.getOutputStream().flush();
            proxy.awaitFailure("pt", "handshake_timeout");
        }
        assertThat(proxy.log.events()).hasSize(1);
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "pt"))).isEqualTo(1);
        assertThat(proxy.value("tlslens_empty_connections_total", Map.of("listener", "pt"))).isEqualTo(3);
    }

    // ------------------------------------------------------------------ negotiation

    @Test
    void protocolVersionMismatchFromTheBackendsAlertWithWhatTheBackendAccepts() throws Exception {
        int be = sServer(serverFiles("web", pki.leaf("web.example.test"), true), "-tls1_3");
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + be, ""));
        sClient(port, "web.example.test", "-tls1_2");
        JsonNode e = expectFailure("protocol_version_mismatch", "protocol_version", "backend");
        assertThat(e.path("evidence").path("client_versions").asText()).startsWith("TLS 1.2");
        assertThat(e.path("evidence").path("backend_versions").asText()).isEqualTo("TLS 1.3");
        assertThat(e.path("summary").asText()).contains("client offered TLS 1.2").contains("accepts TLS 1.3");
    }

    @Test
    void noSharedCipherFromTheBackendsAlertWithTheBackendsChoice() throws Exception {
        int be = sServer(serverFiles("web", pki.leaf("web.example.test"), true), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + be, ""));
        sClient(port, "web.example.test", "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        JsonNode e = expectFailure("no_shared_cipher", "handshake_failure", "backend");
        assertThat(e.path("evidence").path("backend_cipher_choice").asText())
                .contains("TLS 1.2: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertThat(e.path("client_hello").path("cipher_suites").toString()).contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    // ------------------------------------------------------------------ not TLS

    @Test
    void backendAnsweringInPlaintextIsNotTls() throws Exception {
        int be = ProxyHarness.freePort();
        Process py = new ProcessBuilder("python3", "-m", "http.server", Integer.toString(be), "--bind", "127.0.0.1",
                "--directory", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("py.log").toFile()).start();
        processes.add(py);
        ProxyHarness.awaitListening(be);
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + be, ""));
        var r = sClient(port, "web.example.test");
        assertThat(r.all()).contains("wrong version number");
        JsonNode e = expectFailure("not_tls", "none", "none");
        assertThat(e.path("evidence").path("first_bytes_from").asText()).isEqualTo("backend");
        // python's http.server answers a binary request line with an HTTP/0.9-style error page
        assertThat(e.path("evidence").path("first_bytes_text").asText()).startsWith("<!DOCTYPE HTML>");
        assertThat(e.path("summary").asText()).contains("non-TLS bytes");
    }

    @Test
    void plainHttpToThePassthroughPort() throws Exception {
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:1", ""));
        ProxyHarness.run(List.of("curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + port + "/"));
        JsonNode e = expectFailure("plaintext_http_to_tls_port", "none", "none");
        assertThat(e.path("evidence").path("first_bytes_text").asText()).startsWith("GET /");
    }

    // ------------------------------------------------------------------ stalls and closes

    @Test
    void backendThatNeverAnswersIsAHandshakeTimeoutAwaitingServerHello() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> hold = CompletableFuture.runAsync(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes();
                } catch (Exception ignored) {
                    // closed by the proxy
                }
            });
            int port = ProxyHarness.freePort();
            proxy.start(listener("pt", port, "127.0.0.1:" + silent.getLocalPort(), ""));
            ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "web.example.test"));
            JsonNode e = expectFailure("handshake_timeout", "none", "none");
            assertThat(e.path("evidence").path("stage").asText()).isEqualTo("awaiting ServerHello");
            hold.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void partialClientHelloIsAHandshakeTimeoutAtStageClientHello() throws Exception {
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:1", ""));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(new byte[] {22, 3, 1, 2, 0, 1, 0, 1});
            s.getOutputStream().flush();
            JsonNode e = expectFailure("handshake_timeout", "none", "none");
            assertThat(e.path("evidence").path("stage").asText()).isEqualTo("client_hello");
            assertThat(e.path("evidence").path("mtu_suspected").asText()).isEqualTo("true");
        }
    }

    /** A client that sends a real (recorded openssl) ClientHello, reads the server's flight, then stalls. */
    @Test
    void clientStallingAfterTheServersFlightIsAHandshakeTimeoutAwaitingClientFinished() throws Exception {
        int port = passthroughTo(serverFiles("web", pki.leaf("example.com"), true), "-tls1_2");
        String hex = Files.readString(Path.of("..", "inspector", "src", "test", "resources", "clienthello", "openssl_tls12.hex"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(HexFormat.of().parseHex(hex.replaceAll("\\s", "")));
            s.getOutputStream().flush();
            JsonNode e = expectFailure("handshake_timeout", "none", "none");
            assertThat(e.path("evidence").path("stage").asText()).isEqualTo("awaiting client Finished");
            assertThat(e.path("negotiated").path("protocol").asText()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void backendClosingAfterTheClientHelloIsPeerClosed() throws Exception {
        try (ServerSocket closer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = closer.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[5]);
                } catch (Exception ignored) {
                    // done
                }
            });
            int port = ProxyHarness.freePort();
            proxy.start(listener("pt", port, "127.0.0.1:" + closer.getLocalPort(), ""));
            ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "web.example.test"));
            JsonNode e = expectFailure("peer_closed", "none", "none");
            assertThat(e.path("evidence").path("closed_by").asText()).isEqualTo("backend");
            assertThat(e.path("evidence").path("stage").asText()).isEqualTo("awaiting ServerHello");
        }
    }

    // ------------------------------------------------------------------ certificates (TLS 1.2 and 1.3)

    /** Starts a backend serving {@code files} at one TLS version and a passthrough listener before it. */
    int passthroughTo(Path[] files, String version) throws Exception {
        int be = sServer(files, version);
        int port = ProxyHarness.freePort();
        proxy.start(listener("pt", port, "127.0.0.1:" + be, ""));
        return port;
    }

    JsonNode expiredLeaf(String version) throws Exception {
        int port = passthroughTo(serverFiles("old", pki.leaf(List.of("web.example.test"), ago(100), ago(10)), true), version);
        assertThat(sClient(port, "web.example.test").all()).contains("certificate has expired");
        JsonNode e = expectFailure("certificate_expired", "certificate_expired", "client");
        assertThat(e.path("certificate").path("subject").asText()).contains("web.example.test");
        assertThat(e.path("certificate").path("problem").asText()).contains("expired");
        return e;
    }

    @Test
    void expiredCertificateOnTls12IsSeenInTheCertificateMessage() throws Exception {
        JsonNode e = expiredLeaf("-tls1_2");
        assertThat(e.path("evidence").path("chain_source").asText()).isEqualTo("Certificate message on the wire");
        assertThat(e.path("negotiated").path("protocol").asText()).isEqualTo("TLSv1.2");
    }

    @Test
    void expiredCertificateOnTls13IsLearnedByTheProbe() throws Exception {
        JsonNode e = expiredLeaf("-tls1_3");
        assertThat(e.path("evidence").path("chain_source").asText()).contains("probe").contains("TLS 1.3 encrypts");
        assertThat(e.path("negotiated").path("protocol").asText()).isEqualTo("TLSv1.3");
    }

    JsonNode selfSigned(String version) throws Exception {
        Path cert = pki.files("self", pki.selfSigned("web.example.test"));
        int port = passthroughTo(new Path[] {cert, dir.resolve("self.key"), null}, version);
        assertThat(sClient(port, "web.example.test").all()).contains("self-signed certificate");
        JsonNode e = expectFailure("certificate_untrusted", "unknown_ca", "client");
        assertThat(e.path("certificate").path("problem").asText()).contains("self-signed");
        return e;
    }

    @Test
    void selfSignedCertificateOnTls12IsUntrusted() throws Exception {
        selfSigned("-tls1_2");
    }

    @Test
    void selfSignedCertificateOnTls13IsUntrusted() throws Exception {
        selfSigned("-tls1_3");
    }

    JsonNode leafWithoutIntermediate(String version) throws Exception {
        int port = passthroughTo(serverFiles("lonely", pki.leaf("web.example.test"), false), version);
        assertThat(sClient(port, "web.example.test").all()).contains("unable to get local issuer certificate");
        JsonNode e = expectFailure("certificate_chain_incomplete", "unknown_ca", "client");
        assertThat(e.path("certificate").path("chain_length").asInt()).isEqualTo(1);
        return e;
    }

    @Test
    void missingIntermediateOnTls12IsChainIncomplete() throws Exception {
        leafWithoutIntermediate("-tls1_2");
    }

    @Test
    void missingIntermediateOnTls13IsChainIncomplete() throws Exception {
        leafWithoutIntermediate("-tls1_3");
    }

    /** curl checks the host name after the handshake, then closes with close_notify: encrypted in passthrough. */
    JsonNode curlHostnameMismatch(String maxVersion) throws Exception {
        int port = passthroughTo(serverFiles("web", pki.leaf("web.example.test"), true),
                maxVersion.equals("1.2") ? "-tls1_2" : "-tls1_3");
        var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "10", "--cacert", dir.resolve("root.pem").toString(),
                "--tls-max", maxVersion, "--resolve", "other.example.test:" + port + ":127.0.0.1",
                "https://other.example.test:" + port + "/"));
        assertThat(r.all()).contains("other.example.test");
        JsonNode e = expectFailure("certificate_hostname_mismatch", "none", "none");
        assertThat(e.path("evidence").path("shape").asText()).contains("finished the handshake, then closed");
        assertThat(e.path("evidence").path("requested_name").asText()).isEqualTo("other.example.test");
        return e;
    }

    @Test
    void hostnameMismatchOnTls12WithCurl() throws Exception {
        JsonNode e = curlHostnameMismatch("1.2");
        assertThat(e.path("evidence").path("chain_source").asText()).isEqualTo("Certificate message on the wire");
    }

    @Test
    void hostnameMismatchOnTls13WithCurl() throws Exception {
        JsonNode e = curlHostnameMismatch("1.3");
        assertThat(e.path("evidence").path("chain_source").asText()).contains("probe");
    }

    @Test
    void hostnameMismatchOnTls13WithOpensslAlert() throws Exception {
        int port = passthroughTo(serverFiles("web", pki.leaf("web.example.test"), true), "-tls1_3");
        assertThat(sClient(port, "other.example.test").all()).contains("hostname mismatch");
        // OpenSSL's verifier sends bad_certificate for a host name it does not find in the SANs
        expectFailure("certificate_hostname_mismatch", "bad_certificate", "client");
    }

    /** The JDK seals its TLS 1.3 alert: only the shape (one short encrypted record, then close) is visible. */
    @Test
    void sealedAlertFromAJdkClientOnTls13IsJudgedWithTheProbedChain() throws Exception {
        int port = passthroughTo(serverFiles("web", pki.leaf("web.example.test"), true), "-tls1_3");
        SSLContext jdkDefaultTrust = SSLContext.getInstance("TLSv1.3");
        jdkDefaultTrust.init(null, null, null);
        try (SSLSocket s = (SSLSocket) jdkDefaultTrust.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters params = s.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName("web.example.test")));
            s.setSSLParameters(params);
            s.setSoTimeout(10_000);
            s.startHandshake();
            throw new AssertionError("the JDK trusted a private root");
        } catch (javax.net.ssl.SSLHandshakeException expected) {
            assertThat(expected.getMessage()).contains("PKIX");
        }
        JsonNode e = expectFailure("certificate_untrusted", "none", "none");
        assertThat(e.path("evidence").path("shape").asText()).contains("one short encrypted record");
        assertThat(e.path("evidence").path("client_records_after_server_flight").asText()).contains("application_data(35)");
    }

    private SSLContext trusting() throws Exception {
        return TestPki.trusting(pki.root.cert());
    }

    static Instant ago(int days) {
        return Instant.now().minus(Duration.ofDays(days));
    }
}
