package io.tlslens.proxy;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tlslens.proxy.runtime.TlslensServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** max-connections refusals are counted; {@code admin.debug-endpoints = false} hides /debug/* only. */
class SidecarLimitsIT {
    @TempDir
    Path dir;
    TestPki pki;
    Path cert;
    ProxyHarness proxy;
    EchoBackend backend;
    SSLContext tls;

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        proxy = new ProxyHarness(dir);
        backend = new EchoBackend();
        tls = TestPki.trusting(dir.resolve("root.pem"));
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        backend.close();
    }

    /** @return an open TLS connection through tlslens that has made one echo round trip */
    private SSLSocket open(int port) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(5000);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
        s.startHandshake();
        s.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        assertThat(s.getInputStream().readNBytes(2)).isEqualTo("x\n".getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private double refused() throws Exception {
        return proxy.value("tlslens_connections_refused_total", Map.of("listener", "small", "reason", "max_connections"));
    }

    @Test
    void maxConnectionsBeyondTheDescriptorLimitIsWarnedAtStartUp() throws Exception {
        long limit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        int port = ProxyHarness.freePort();
        try (LogCapture log = new LogCapture(TlslensServer.class.getName())) {
            proxy.start(ProxyHarness.listener("huge", port, cert, backend.port(), "",
                    "max-connections = " + (limit / 2 + 1) + ","));
            assertThat(log.events()).filteredOn(e -> e.path("level").asText().equals("WARN"))
                    .extracting(e -> e.path("message").asText())
                    .anySatisfy(m -> assertThat(m).contains("file descriptors")
                            .contains(String.format("%,d", limit)).contains("ulimit -n"));
        }
    }

    @Test
    void maxConnectionsWithinTheDescriptorLimitIsNotWarned() throws Exception {
        int port = ProxyHarness.freePort();
        try (LogCapture log = new LogCapture(TlslensServer.class.getName())) {
            proxy.start(ProxyHarness.listener("small", port, cert, backend.port(), "", "max-connections = 2,"));
            assertThat(log.events()).extracting(e -> e.path("message").asText())
                    .noneSatisfy(m -> assertThat(m).contains("file descriptors"))
                    .anySatisfy(m -> assertThat(m).contains("listener 'small'"));
        }
    }

    @Test
    void connectionsOverTheLimitAreRefusedAndCounted() throws Exception {
        int port = ProxyHarness.freePort();
        proxy.start(ProxyHarness.listener("small", port, cert, backend.port(), "", "max-connections = 2,"));
        assertThat(proxy.metrics()).contains("tlslens_connections_refused_total{listener=\"small\",reason=\"max_connections\"} 0.0");
        try (SSLSocket one = open(port); SSLSocket two = open(port)) {
            assertThat(proxy.value("tlslens_connections_active", Map.of("listener", "small"))).isEqualTo(2);
            Throwable third = catchThrowable(() -> open(port).close());
            assertThat(third).as("the third connection is closed at accept").isNotNull();
            assertThat(refused()).isEqualTo(1);
            assertThat(proxy.value("tlslens_connections_active", Map.of("listener", "small"))).isEqualTo(2);
            assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", "small"))).isZero();
        }
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_connections_active", Map.of("listener", "small")) == 0;
            } catch (Exception e) {
                return false;
            }
        }, "both connections to close");
        open(port).close();
        assertThat(refused()).isEqualTo(1);
    }

    @Test
    void debugEndpointsCanBeTurnedOffWhileMetricsStay() throws Exception {
        proxy.startWith("admin.debug-endpoints = false",
                ProxyHarness.listener("small", ProxyHarness.freePort(), cert, backend.port(), "", ""));
        assertThat(proxy.get("/debug/handshakes").statusCode()).isEqualTo(404);
        assertThat(proxy.get("/debug/compatibility").statusCode()).isEqualTo(404);
        assertThat(proxy.get("/debug/handshakes").body()).doesNotContain("/debug");
        assertThat(proxy.get("/metrics").statusCode()).isEqualTo(200);
        assertThat(proxy.metrics()).contains("tlslens_connections_total{listener=\"small\"}");
        assertThat(proxy.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(proxy.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void debugEndpointsAreOnByDefault() throws Exception {
        proxy.start(ProxyHarness.listener("small", ProxyHarness.freePort(), cert, backend.port(), "", ""));
        assertThat(proxy.get("/debug/handshakes").statusCode()).isEqualTo(200);
    }
}
