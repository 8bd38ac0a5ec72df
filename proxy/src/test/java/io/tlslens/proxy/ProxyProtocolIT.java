package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlslens.proxy.conn.ProxyProtocolReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROXY protocol both ways with real peers: tlslens tells a backend (a hand-written v1/v2 parser) the
 * client's address, and accepts a header from a load balancer in front (curl --haproxy-protocol,
 * hand-built v1 and v2 headers), using that address in failure logs and passing it on.
 */
class ProxyProtocolIT {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] HTTP_GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    TestPki pki;
    Path cert;
    ProxyHarness proxy;
    JdkTlsClient client;

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        proxy = new ProxyHarness(dir);
        client = new JdkTlsClient(dir.resolve("root.pem"));
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
    }

    /** @return a v2 PROXY TCP4 header */
    static byte[] v2Tcp4(String src, int srcPort, String dst, int dstPort) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress());
        b.putShort((short) srcPort).putShort((short) dstPort);
        return b.array();
    }

    /** @return a v2 PROXY TCP6 header */
    static byte[] v2Tcp6(String src, int srcPort, String dst, int dstPort) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16 + 36);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x21).putShort((short) 36);
        b.put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress());
        b.putShort((short) srcPort).putShort((short) dstPort);
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }

    /** Sends raw bytes and waits for tlslens to close the connection. */
    private static void sendAndAwaitClose(int port, byte[] bytes) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // drain until closed
            }
        }
    }

    private SSLContext backendServerContext() throws Exception {
        TestPki.Issued leaf = pki.leaf("localhost");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("backend", leaf.keys().getPrivate(), new char[0],
                new Certificate[]{leaf.cert(), pki.intermediate.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @Test
    void backendReceivesV1ThenV2HeaderWithTheClientAddressBeforeAnyByte() throws Exception {
        try (ProxyHeaderBackend backend = new ProxyHeaderBackend(null)) {
            int v1 = ProxyHarness.freePort();
            int v2 = ProxyHarness.freePort();
            proxy.start(ProxyHarness.listener("ppv1", v1, cert, backend.port(), "", "backend.proxy-protocol = v1,"),
                    ProxyHarness.listener("ppv2", v2, cert, backend.port(), "", "backend.proxy-protocol = v2,"));

            client.roundTrip(v1, "localhost");
            assertThat(backend.next()).isEqualTo(new ProxyHeaderBackend.Header(1, "TCP4", "127.0.0.1",
                    client.lastLocalPort, "127.0.0.1", v1));

            client.roundTrip(v2, "localhost");
            assertThat(backend.next()).isEqualTo(new ProxyHeaderBackend.Header(2, "PROXY TCP4", "127.0.0.1",
                    client.lastLocalPort, "127.0.0.1", v2));

            // curl: a real HTTP client through the v1 listener; the echo backend returns the request as the "response"
            var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "5", "--http0.9", "--cacert",
                    dir.resolve("root.pem").toString(), "--resolve", "localhost:" + v1 + ":127.0.0.1",
                    "https://localhost:" + v1 + "/hello"));
            assertThat(r.all()).contains("GET /hello HTTP/1.1");
            ProxyHeaderBackend.Header h = backend.next();
            assertThat(h.sourceIp()).isEqualTo("127.0.0.1");
            assertThat(h.destinationPort()).isEqualTo(v1);
        }
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of())).isZero();
    }

    @Test
    void headerFromALoadBalancerIsPassedOnToATlsBackendBeforeItsClientHello() throws Exception {
        try (ProxyHeaderBackend backend = new ProxyHeaderBackend(backendServerContext())) {
            int port = ProxyHarness.freePort();
            proxy.start(ProxyHarness.listener("lb", port, cert, backend.port(), "",
                    "proxy-protocol = true, backend.proxy-protocol = v2, backend.tls { enabled = true, trust = \""
                            + dir.resolve("root.pem") + "\", server-name = localhost },"));
            client.roundTrip(port, "localhost", v2Tcp4("203.0.113.7", 40000, "198.51.100.1", 443));
            assertThat(backend.next()).isEqualTo(new ProxyHeaderBackend.Header(2, "PROXY TCP4", "203.0.113.7", 40000,
                    "198.51.100.1", 443));

            client.roundTrip(port, "localhost", "PROXY TCP6 2001:db8::7 2001:db8::1 40001 8443\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(backend.next()).isEqualTo(new ProxyHeaderBackend.Header(2, "PROXY TCP6", "2001:db8:0:0:0:0:0:7",
                    40001, "2001:db8:0:0:0:0:0:1", 8443));
            assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", "lb", "leg", "backend"))).isEqualTo(2);
            assertThat(proxy.value("tlslens_handshake_failures_total", Map.of())).isZero();
        }
    }

    @Test
    void passthroughPassesTheBalancersAddressOnToTheBackend() throws Exception {
        try (ProxyHeaderBackend backend = new ProxyHeaderBackend(backendServerContext())) {
            int port = ProxyHarness.freePort();
            proxy.start("{ name = pt, bind = \"127.0.0.1:" + port + "\", mode = passthrough, proxy-protocol = true, "
                    + "backend { address = \"127.0.0.1:" + backend.port() + "\", proxy-protocol = v2 } }");
            client.roundTrip(port, "localhost", v2Tcp4("203.0.113.9", 40009, "198.51.100.1", 443));
            assertThat(backend.next()).isEqualTo(new ProxyHeaderBackend.Header(2, "PROXY TCP4", "203.0.113.9", 40009,
                    "198.51.100.1", 443));
            assertThat(proxy.value("tlslens_handshake_failures_total", Map.of())).isZero();
        }
    }

    @Test
    void originateWaitsForTheBalancersHeaderBeforeConnectingTheBackend() throws Exception {
        try (ProxyHeaderBackend backend = new ProxyHeaderBackend(backendServerContext())) {
            int port = ProxyHarness.freePort();
            proxy.start("{ name = egress, bind = \"127.0.0.1:" + port + "\", mode = originate, proxy-protocol = true, "
                    + "backend { address = \"127.0.0.1:" + backend.port() + "\", proxy-protocol = v1, tls { enabled = true, "
                    + "trust = \"" + dir.resolve("root.pem") + "\", server-name = localhost } } }");
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                Thread.sleep(200); // the backend must not be connected before the header arrives
                s.getOutputStream().write(concat("PROXY TCP4 203.0.113.7 198.51.100.1 40005 443\r\n"
                        .getBytes(StandardCharsets.US_ASCII), "ping\n".getBytes(StandardCharsets.US_ASCII)));
                s.getOutputStream().flush();
                assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping\n");
            }
            assertThat(backend.next()).isEqualTo(new ProxyHeaderBackend.Header(1, "TCP4", "203.0.113.7", 40005,
                    "198.51.100.1", 443));
        }
    }

    @Test
    void failureLogsCarryTheAddressFromTheHeader() throws Exception {
        int port = ProxyHarness.freePort();
        proxy.start(ProxyHarness.listener("lb", port, cert, 9, "", "proxy-protocol = true,"));

        // curl sends a v1 header with its real address, then plain HTTP to the TLS port
        var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "5", "--haproxy-protocol",
                "http://127.0.0.1:" + port + "/"));
        assertThat(r.all()).contains("use https://"); // the plain-HTTP answer, then the close
        JsonNode curl = proxy.awaitFailure("lb", "plaintext_http_to_tls_port");
        assertThat(curl.path("client_address").asText()).startsWith("127.0.0.1:");

        sendAndAwaitClose(port, concat("PROXY TCP4 203.0.113.7 198.51.100.1 40001 443\r\n"
                .getBytes(StandardCharsets.US_ASCII), HTTP_GET));
        sendAndAwaitClose(port, concat(v2Tcp4("203.0.113.8", 40002, "198.51.100.1", 443), HTTP_GET));
        sendAndAwaitClose(port, concat(v2Tcp6("2001:db8::9", 40003, "2001:db8::1", 443), HTTP_GET));
        ProxyHarness.await(() -> proxy.log.withCause("plaintext_http_to_tls_port").size() == 4, "four failure lines");
        List<String> addresses = proxy.log.withCause("plaintext_http_to_tls_port").stream()
                .map(e -> e.path("client_address").asText()).toList();
        assertThat(addresses.subList(1, 4)).containsExactly("203.0.113.7:40001", "203.0.113.8:40002", "[2001:db8::9]:40003");
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "lb",
                "cause", "plaintext_http_to_tls_port"))).isEqualTo(4);
    }

    @Test
    void connectionWithoutAValidHeaderIsClosedCountedAndLogged() throws Exception {
        int port = ProxyHarness.freePort();
        proxy.start(ProxyHarness.listener("lb", port, cert, 9, "", "proxy-protocol = true,"));
        try (LogCapture connections = new LogCapture(ProxyProtocolReader.LOGGER)) {
            // a TLS client that does not send a header: its ClientHello is not a PROXY header
            var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "5", "--cacert", dir.resolve("root.pem").toString(),
                    "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/"));
            assertThat(r.exit()).isNotZero();
            sendAndAwaitClose(port, "PROXY TCP4 not-an-ip 198.51.100.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII));
            ProxyHarness.await(() -> connections.events().size() == 2, "two proxy_protocol_rejected lines");
            for (JsonNode e : connections.events()) {
                assertThat(e.path("event").asText()).isEqualTo("proxy_protocol_rejected");
                assertThat(e.path("listener").asText()).isEqualTo("lb");
                assertThat(e.path("peer_address").asText()).startsWith("127.0.0.1:");
                assertThat(e.path("problem").asText()).isNotBlank();
            }
        }
        assertThat(proxy.value("tlslens_connections_refused_total", Map.of("listener", "lb", "reason", "proxy_protocol")))
                .isEqualTo(2);
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "lb"))).isZero();
        assertThat(proxy.value("tlslens_empty_connections_total", Map.of("listener", "lb"))).isZero();
    }
}
