package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ClientHello in depth, with real peers: a recorded post-quantum ClientHello (BoringSSL, X25519MLKEM768,
 * 1,479 bytes) split across TCP segments and records, HelloRetryRequests forced with openssl s_client's
 * key share, session resumption with s_client -sess_out / -sess_in, and the expiry gauges of passthrough routes.
 */
class HelloDepthIT {
    @TempDir
    Path dir;
    TestPki pki;
    ProxyHarness proxy;
    HttpServer http;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        proxy = new ProxyHarness(dir);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            byte[] body = "hello from backend\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        http.stop(0);
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The recorded BoringSSL X25519MLKEM768 ClientHello (one record, SNI api.example.test). */
    static byte[] pqHello() throws Exception {
        String hex = Files.readString(Path.of("..", "inspector", "src", "test", "resources", "clienthello", "boringssl_mlkem.hex"));
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    /** The same hello in two records, the first holding {@code first} bytes of the handshake message. */
    static byte[] twoRecords(byte[] record, int first) {
        byte[] hs = Arrays.copyOfRange(record, 5, record.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int[] r : new int[][] {{0, first}, {first, hs.length}}) {
            int n = r[1] - r[0];
            out.writeBytes(new byte[] {22, 3, 1, (byte) (n >> 8), (byte) n});
            out.write(hs, r[0], n);
        }
        return out.toByteArray();
    }

    /** Starts {@code openssl s_server -www} for {@code name} (leaf + intermediate) on a free port; waits until it listens. */
    int sServer(String name, String... options) throws Exception {
        Path cert = pki.files(name, pki.leaf(name));
        Path chain = dir.resolve(name + "-chain.pem");
        Files.writeString(chain, TestPki.pem(pki.intermediate.cert()));
        int port = ProxyHarness.freePort();
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", Integer.toString(port),
                "-cert", cert.toString(), "-key", cert.toString().replaceAll("\\.pem$", ".key"), "-cert_chain",
                chain.toString(), "-www", "-quiet"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("s_server-" + port + ".log").toFile()).start();
        processes.add(p);
        ProxyHarness.awaitListening(port);
        return port;
    }

    /** openssl s_client to 127.0.0.1:port with SNI {@code name}, sending one HTTP request. */
    ProxyHarness.Run sClient(int port, String name, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", name, "-CAfile", dir.resolve("root.pem").toString(), "-ign_eof"));
        cmd.addAll(List.of(options));
        return ProxyHarness.run(cmd, "GET / HTTP/1.0\r\n\r\n");
    }

    /** A terminate listener for localhost before the HTTP backend. */
    String terminate(String name, int port, String tls) throws Exception {
        return terminate(name, port, tls, "");
    }

    String terminate(String name, int port, String tls, String extra) throws Exception {
        Path cert = pki.files(name, pki.leaf("localhost", "127.0.0.1"), pki.intermediate.cert());
        return ProxyHarness.listener(name, port, cert, http.getAddress().getPort(), tls, extra);
    }

    void awaitValue(String metric, Map<String, String> labels, double expected) throws Exception {
        ProxyHarness.await(() -> {
            try {
                return proxy.value(metric, labels) == expected;
            } catch (Exception e) {
                return false;
            }
        }, metric + labels + " = " + expected);
    }

    /** @return the first record of what the server sent back, or an empty array when nothing came */
    static byte[] readRecord(InputStream in) throws Exception {
        byte[] hdr = in.readNBytes(5);
        if (hdr.length < 5) {
            return new byte[0];
        }
        int len = ((hdr[3] & 0xff) << 8) | (hdr[4] & 0xff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(hdr);
        out.write(in.readNBytes(len));
        return out.toByteArray();
    }

    /** Runs {@code r} on its own daemon thread (not the common pool, which has one thread on two cores). */
    static void background(Runnable r) {
        Thread t = new Thread(r, "hello-depth-it");
        t.setDaemon(true);
        t.start();
    }

    // ------------------------------------------------------------------ a large post-quantum ClientHello

    /**
     * The 1,479-byte hello in two TCP segments (1,200 bytes, a pause, the rest) to a passthrough listener with two
     * SNI routes: it is routed once whole to the api route, whose backend's ServerHello comes back; the other
     * route's backend never sees a connection.
     */
    @Test
    void aSplitPostQuantumHelloIsRoutedWholeToTheRightBackend() throws Exception {
        int api = sServer("api.example.test");
        AtomicInteger otherConnections = new AtomicInteger();
        try (ServerSocket other = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            background(() -> {
                while (!other.isClosed()) {
                    try (Socket s = other.accept()) {
                        otherConnections.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            int port = ProxyHarness.freePort();
            proxy.start(PassthroughIT.listener("pt", port, "127.0.0.1:1", "routes = ["
                    + "{ server-names = [\"*.other.test\"], backend.address = \"127.0.0.1:" + other.getLocalPort() + "\" },"
                    + "{ server-names = [\"api.example.test\"], backend.address = \"127.0.0.1:" + api + "\" } ],"));
            byte[] hello = pqHello();
            assertThat(hello.length).isGreaterThan(1400);
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(hello, 0, 1200);
                out.flush();
                Thread.sleep(500);
                out.write(hello, 1200, hello.length - 1200);
                out.flush();
                byte[] answer = readRecord(s.getInputStream());
                assertThat(answer).as("a record back from the backend").hasSizeGreaterThan(9);
                assertThat(answer[0]).as("handshake record").isEqualTo((byte) 22);
                assertThat(answer[5]).as("ServerHello").isEqualTo((byte) 2);
            }
            assertThat(proxy.value("tlslens_client_hello_total", Map.of("listener", "pt", "max_version", "TLS 1.3",
                    "sni", "present"))).isEqualTo(1);
            assertThat(otherConnections.get()).isZero();
        }
    }

    /** The hello in two records over three reads, to a backend that closes: the log line tells size, records and reads. */
    @Test
    void theLogTellsTheHellosSizeRecordsReadsAndKeyShares() throws Exception {
        try (ServerSocket closer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            background(() -> {
                try (Socket s = closer.accept()) {
                    s.getInputStream().read(new byte[5]);
                } catch (Exception ignored) {
                    // done
                }
            });
            int port = ProxyHarness.freePort();
            proxy.start(PassthroughIT.listener("pt", port, "127.0.0.1:" + closer.getLocalPort(), ""));
            byte[] two = twoRecords(pqHello(), 1000);
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                out.write(two, 0, 1005); // the first record
                out.flush();
                Thread.sleep(300);
                out.write(two, 1005, 5); // the second record's header alone
                out.flush();
                Thread.sleep(300);
                out.write(two, 1010, two.length - 1010);
                out.flush();
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).as("end of stream once the backend closed").isEqualTo(-1);
                s.close(); // as a client does after the end of stream
                JsonNode e = proxy.awaitFailure("pt", "peer_closed");
                JsonNode h = e.path("client_hello");
                assertThat(h.path("size_bytes").asInt()).isEqualTo(pqHello().length - 5);
                assertThat(h.path("records").asInt()).isEqualTo(2);
                assertThat(h.path("tcp_reads").asInt()).isEqualTo(3);
                assertThat(h.path("key_share_groups").toString()).isEqualTo("[\"X25519MLKEM768\",\"x25519\"]");
                assertThat(h.path("groups").toString()).contains("X25519MLKEM768");
                assertThat(h.path("ja4").asText()).isEqualTo("t13d1211h2_0ed44715e6cd_78e6aca7449b"); // tshark-derived, fingerprints/recorded.tsv
            }
        }
    }

    JsonNode stalledLargeHello(String mode) throws Exception {
        int port = ProxyHarness.freePort();
        if (mode.equals("passthrough")) {
            proxy.start(PassthroughIT.listener("stall", port, "127.0.0.1:1", ""));
        } else {
            proxy.start(terminate("stall", port, "", "handshake-timeout = 2s,"));
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(pqHello(), 0, 1200);
            s.getOutputStream().flush();
            JsonNode e = proxy.awaitFailure("stall", "handshake_timeout");
            assertThat(e.path("evidence").path("stage").asText()).isEqualTo("client_hello");
            assertThat(e.path("evidence").path("mtu_suspected").asText()).isEqualTo("true");
            assertThat(e.path("evidence").path("client_hello_bytes_expected").asInt()).isEqualTo(1474);
            assertThat(e.path("evidence").path("client_hello_bytes_received").asInt()).isEqualTo(1195);
            assertThat(e.path("evidence").path("partial_record_bytes").asInt()).isEqualTo(1200);
            assertThat(e.path("summary").asText()).contains("ClientHello (1474 bytes) arrived only in part")
                    .contains("path-MTU").contains("post-quantum");
            return e;
        }
    }

    @Test
    void aLargeHelloStalledAfterItsFirstSegmentNamesItsSizeAndTheMtuInPassthrough() throws Exception {
        stalledLargeHello("passthrough");
    }

    @Test
    void aLargeHelloStalledAfterItsFirstSegmentNamesItsSizeAndTheMtuInTerminate() throws Exception {
        stalledLargeHello("terminate");
    }

    // ------------------------------------------------------------------ HelloRetryRequest

    /**
     * OpenSSL 3.0 sends a key share for its first group only; with {@code -groups secp384r1:x25519} BoringSSL, which
     * prefers x25519 (server order), answers with a HelloRetryRequest for x25519. The client then rejects our
     * certificate (no CA file): the failure's evidence says the handshake needed a HelloRetryRequest.
     */
    @Test
    void terminateCountsItsHelloRetryRequestByGroup() throws Exception {
        int port = ProxyHarness.freePort();
        proxy.start(terminate("web", port, ""));
        var ok = sClient(port, "localhost", "-groups", "secp384r1:x25519");
        assertThat(ok.all()).contains("Verify return code: 0").contains("hello from backend");
        awaitValue("tlslens_hello_retry_requests_total", Map.of("listener", "web", "leg", "frontend", "group", "x25519"), 1);
        // no HelloRetryRequest when the first group is one BoringSSL takes
        sClient(port, "localhost", "-groups", "x25519:secp384r1");
        awaitValue("tlslens_handshakes_total", Map.of("listener", "web", "leg", "frontend"), 2);
        assertThat(proxy.value("tlslens_hello_retry_requests_total", Map.of("listener", "web"))).isEqualTo(1);

        ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-groups", "secp384r1:x25519", "-verify_return_error"));
        JsonNode e = proxy.awaitFailure("web", "certificate_untrusted");
        // the judgement names both sides: the share the client sent and the group the listener asked for
        assertThat(e.path("evidence").path("hello_retry_request").asText())
                .contains("key shares for secp384r1").contains("prefers x25519").contains("HelloRetryRequest");
        assertThat(e.path("client_hello").path("key_share_groups").toString()).isEqualTo("[\"secp384r1\"]");
        assertThat(proxy.value("tlslens_hello_retry_requests_total", Map.of("listener", "web", "group", "x25519"))).isEqualTo(2);
        promtoolClean();
    }

    /** {@code promtool check metrics} passes on the exposition with the new series in it. */
    void promtoolClean() throws Exception {
        String text = proxy.metrics();
        var check = ProxyHarness.run(List.of("promtool", "check", "metrics"), text);
        assertThat(check.exit()).as("promtool check metrics: " + check.all()).isZero();
    }

    /** A backend that accepts only x25519 answers a secp384r1 key share with a HelloRetryRequest, seen in passthrough. */
    @Test
    void passthroughCountsTheBackendsHelloRetryRequest() throws Exception {
        int be = sServer("web.example.test", "-groups", "x25519");
        int port = ProxyHarness.freePort();
        proxy.start(PassthroughIT.listener("pt", port, "127.0.0.1:" + be, ""));
        var r = sClient(port, "web.example.test", "-groups", "secp384r1:x25519");
        assertThat(r.all()).contains("Verify return code: 0");
        awaitValue("tlslens_hello_retry_requests_total", Map.of("listener", "pt", "leg", "frontend", "group", "x25519"), 1);
        awaitValue("tlslens_handshakes_total", Map.of("listener", "pt", "protocol", "TLS 1.3"), 1);
    }

    // ------------------------------------------------------------------ session resumption

    void resumesAgainstTerminate(String version) throws Exception {
        int on = ProxyHarness.freePort();
        int off = ProxyHarness.freePort();
        proxy.start(terminate("on", on, ""), terminate("off", off, "session-resumption = false"));
        Path session = dir.resolve("session" + version + ".pem");
        var first = sClient(on, "localhost", version, "-sess_out", session.toString());
        assertThat(first.all()).contains("New, TLSv1").contains("hello from backend");
        assertThat(Files.size(session)).isPositive();
        var again = sClient(on, "localhost", version, "-sess_in", session.toString());
        assertThat(again.all()).contains("Reused, TLSv1").contains("hello from backend");
        awaitValue("tlslens_handshakes_total", Map.of("listener", "on", "resumed", "true"), 1);
        assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", "on", "resumed", "false"))).isEqualTo(1);
        awaitValue("tlslens_session_resumptions_total", Map.of("listener", "on", "leg", "frontend", "result", "accepted"), 1);
        assertThat(proxy.value("tlslens_session_resumptions_total", Map.of("listener", "on", "result", "rejected"))).isZero();

        // the same session offered to a listener with session-resumption = false: a full handshake, counted as rejected
        var refused = sClient(off, "localhost", version, "-sess_in", session.toString());
        assertThat(refused.all()).contains("New, TLSv1").contains("hello from backend");
        awaitValue("tlslens_session_resumptions_total", Map.of("listener", "off", "leg", "frontend", "result", "rejected"), 1);
        awaitValue("tlslens_handshakes_total", Map.of("listener", "off", "resumed", "false"), 1);
        assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", "off", "resumed", "true"))).isZero();
        // and it is sent no ticket it could not use (BoringSSL sends TLS 1.3 clients two unless told none)
        assertThat(sClient(on, "localhost", version, "-msg").all()).contains("NewSessionTicket");
        assertThat(sClient(off, "localhost", version, "-msg").all()).contains("hello from backend")
                .doesNotContain("NewSessionTicket");
        promtoolClean();
    }

    @Test
    void tls13SessionResumptionIsDetectedAndCanBeTurnedOff() throws Exception {
        resumesAgainstTerminate("-tls1_3");
    }

    @Test
    void tls12SessionResumptionIsDetectedAndCanBeTurnedOff() throws Exception {
        resumesAgainstTerminate("-tls1_2");
    }

    /** In passthrough the backend resumes: the abbreviated handshake (TLS 1.2) and pre_shared_key (TLS 1.3) are seen on the wire. */
    @Test
    void passthroughSeesTheBackendResume() throws Exception {
        int be = sServer("web.example.test");
        int port = ProxyHarness.freePort();
        proxy.start(PassthroughIT.listener("pt", port, "127.0.0.1:" + be, ""));
        int n = 0;
        for (String version : List.of("-tls1_2", "-tls1_3")) {
            Path session = dir.resolve("pt" + version + ".pem");
            assertThat(sClient(port, "web.example.test", version, "-sess_out", session.toString()).all()).contains("New, TLSv1");
            assertThat(sClient(port, "web.example.test", version, "-sess_in", session.toString()).all()).contains("Reused, TLSv1");
            n++;
            awaitValue("tlslens_session_resumptions_total", Map.of("listener", "pt", "result", "accepted"), n);
        }
        awaitValue("tlslens_handshakes_total", Map.of("listener", "pt", "resumed", "true"), 2);
        awaitValue("tlslens_handshakes_total", Map.of("listener", "pt", "resumed", "false"), 2);
    }

    // ------------------------------------------------------------------ passthrough expiry gauges

    /**
     * One series set per route: the TLS 1.2 route's chain from its Certificate message, the TLS 1.3 route's from
     * tlslens' probe; several SNIs on one wildcard route do not add series.
     */
    @Test
    void passthroughExpiryGaugesArePerRouteNotPerSni() throws Exception {
        int old = sServer("tls12.example.test", "-tls1_2");
        int modern = sServer("tls13.example.test", "-tls1_3");
        int port = ProxyHarness.freePort();
        proxy.start(PassthroughIT.listener("pt", port, "127.0.0.1:" + modern, "routes = [ { server-names = [\"*.old.test\"], "
                + "backend.address = \"127.0.0.1:" + old + "\" } ],"));
        for (String sni : List.of("a.old.test", "b.old.test", "c.old.test")) {
            sClient(port, sni);
        }
        sClient(port, "x.new.test");
        sClient(port, "y.new.test");
        try {
            ProxyHarness.await(() -> series("tlslens_certificate_expiry_timestamp_seconds", "pt").size() == 3,
                    "two leaves and the intermediate both routes send");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + series("tlslens_certificate_expiry_timestamp_seconds", "pt")
                    + "\n" + proxy.metrics().lines().filter(l -> l.startsWith("tlslens_handshake")).toList(), e);
        }
        List<String> lines = series("tlslens_certificate_expiry_timestamp_seconds", "pt");
        assertThat(lines).allMatch(l -> l.contains("leg=\"backend\""));
        assertThat(lines).anyMatch(l -> l.contains("subject=\"CN=tls12.example.test\"") && l.contains("role=\"leaf\""));
        assertThat(lines).anyMatch(l -> l.contains("subject=\"CN=tls13.example.test\"") && l.contains("role=\"leaf\""));
        assertThat(lines).filteredOn(l -> l.contains("role=\"intermediate\"")).hasSize(1);
    }

    List<String> series(String name, String listener) {
        try {
            return proxy.metrics().lines().filter(l -> l.startsWith(name + "{") && l.contains("listener=\"" + listener + "\""))
                    .toList();
        } catch (Exception e) {
            return List.of();
        }
    }
}
