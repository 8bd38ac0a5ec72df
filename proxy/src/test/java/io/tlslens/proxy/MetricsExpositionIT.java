package io.tlslens.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /metrics after real traffic: every contract metric (docs/metrics.md) present with the contract's labels,
 * {@code promtool check metrics} clean, and no client-controlled string (here: an SNI) in a label.
 */
class MetricsExpositionIT {
    @TempDir
    Path dir;

    @Test
    void exposesTheContractAndPassesPromtool() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        try (ProxyHarness proxy = new ProxyHarness(dir)) {
            proxy.start(ProxyHarness.listener("web", port, cert, ProxyHarness.freePort(), "", ""));
            var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-servername", "client-controlled-sni.example", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"));
            assertThat(r.exit()).isNotZero();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().read();
            }
            ProxyHarness.await(() -> proxy.log.events().size() >= 2, "two failures logged");
            String text = proxy.metrics();

            for (String name : List.of("tlslens_handshake_failures_total", "tlslens_handshake_duration_seconds_bucket",
                    "tlslens_client_hello_total", "tlslens_certificate_expiry_timestamp_seconds", "tlslens_empty_connections_total",
                    "tlslens_connections_active", "tlslens_connections_total", "tlslens_bytes_total")) {
                assertThat(text).as(name).containsPattern("(?m)^" + name + "\\{");
            }
            assertLabels(text, "tlslens_handshake_failures_total", "listener", "leg", "mode", "cause", "alert", "alert_sender");
            assertLabels(text, "tlslens_client_hello_total", "listener", "max_version", "sni");
            assertLabels(text, "tlslens_certificate_expiry_timestamp_seconds", "listener", "leg", "role", "subject", "serial");
            assertThat(text).doesNotContain("client-controlled-sni");
            assertThat(proxy.value("tlslens_certificate_expiry_timestamp_seconds", Map.of("listener", "web", "role", "leaf")))
                    .isEqualTo((double) pki.leaf("x").cert().getNotAfter().toInstant().getEpochSecond(), org.assertj.core.data.Offset.offset(120.0));

            var check = ProxyHarness.run(List.of("promtool", "check", "metrics"), text);
            assertThat(check.exit()).as("promtool check metrics: " + check.all()).isZero();
        }
    }

    @Test
    void openMetricsWhenAskedAndBuildInfo() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        try (ProxyHarness proxy = new ProxyHarness(dir)) {
            proxy.start(ProxyHarness.listener("web", ProxyHarness.freePort(), cert, ProxyHarness.freePort(), "", ""));
            HttpResponse<String> om = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(proxy.adminUrl() + "/metrics"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(om.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
            assertThat(om.body()).endsWith("# EOF\n").contains("tlslens_connections_total{listener=\"web\"}");
            String text = proxy.metrics();
            assertThat(text).containsPattern("(?m)^tlslens_build_info\\{boringssl=\"[^\"]+\",netty=\"4\\.[^\"]+\",revision=\"[^\"]+\",version=\"[^\"]+\"} 1(\\.0)?$")
                    .contains("jvm_memory_used_bytes").contains("process_cpu_usage").contains("tlslens_netty_direct_memory_used_bytes");
        }
    }

    @Test
    void aFloodOfRandomServerNamesCreatesNoSeries() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        try (ProxyHarness proxy = new ProxyHarness(dir)) {
            proxy.start(ProxyHarness.listener("web", port, cert, ProxyHarness.freePort(), "", ""));
            byte[] warmUp = JdkClientHello.bytes("warm-up.example");
            sendHello(port, warmUp);
            awaitHellos(proxy, 1);
            long before = tlslensSeries(proxy.metrics());
            Random r = new Random(7);
            for (int i = 0; i < 200; i++) {
                sendHello(port, JdkClientHello.bytes("n" + Long.toHexString(r.nextLong()) + ".flood.example"));
            }
            awaitHellos(proxy, 201);
            assertThat(tlslensSeries(proxy.metrics())).as("tlslens_ series after 200 random SNI names").isEqualTo(before);
            assertThat(proxy.metrics()).doesNotContain("flood.example");
        }
    }

    private static void awaitHellos(ProxyHarness proxy, int n) throws InterruptedException {
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_client_hello_total", Map.of("listener", "web")) == n
                        && proxy.value("tlslens_connections_active", Map.of("listener", "web")) == 0;
            } catch (Exception e) {
                return false;
            }
        }, n + " ClientHellos handled");
    }

    /** Sends a real ClientHello and closes at once: a failure with a client-chosen SNI each time. */
    private static void sendHello(int port, byte[] hello) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(hello);
            s.getOutputStream().flush();
            s.getInputStream().read(new byte[8192]);
        }
    }

    private static long tlslensSeries(String text) {
        return text.lines().filter(l -> l.startsWith("tlslens_")).count();
    }

    private static void assertLabels(String text, String metric, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)}").matcher(text);
        assertThat(m.find()).as(metric).isTrue();
        List<String> have = Pattern.compile("(\\w+)=\"").matcher(m.group(1)).results().map(x -> x.group(1)).sorted().toList();
        assertThat(have).as(metric + " labels").containsExactlyInAnyOrder(labels);
    }
}
