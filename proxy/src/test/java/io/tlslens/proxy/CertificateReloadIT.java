package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlslens.proxy.runtime.CertificateReloader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificate rotation as Kubernetes does it: the listener's cert and key are symlinks through a
 * {@code ..data} symlink that is swapped atomically to a new directory. Real JDK TLS clients hammer the
 * listener in parallel while the pair is swapped twice; then a pair whose key does not match is rejected.
 */
class CertificateReloadIT {
    private static final String LISTENER = "rotating";

    @TempDir
    Path dir;
    TestPki pki;
    ProxyHarness proxy;
    EchoBackend backend;
    Path secret;
    int generation;

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        proxy = new ProxyHarness(dir);
        backend = new EchoBackend();
        secret = Files.createDirectory(dir.resolve("secret"));
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        backend.close();
        reloadLog.close();
    }

    /**
     * Writes a new timestamped directory with tls.crt (leaf + intermediate) and tls.key, then points
     * {@code ..data} at it with one atomic rename, as the kubelet does.
     */
    private void publish(TestPki.Issued leaf, TestPki.Issued keyOf) throws Exception {
        Path gen = Files.createDirectory(secret.resolve("..2026_" + (++generation)));
        Files.writeString(gen.resolve("tls.crt"), TestPki.pem(leaf.cert()) + TestPki.pem(pki.intermediate.cert()));
        Files.writeString(gen.resolve("tls.key"), TestPki.pkcs8(keyOf.keys().getPrivate()));
        Path tmp = secret.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, gen.getFileName());
        Files.move(tmp, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        if (!Files.exists(secret.resolve("tls.crt"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
            Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
        }
    }

    private double reloads(String result) throws Exception {
        return proxy.value("tlslens_config_reloads_total", Map.of("listener", LISTENER, "result", result));
    }

    private double expiryGauge(X509Certificate c) throws Exception {
        return proxy.value("tlslens_certificate_expiry_timestamp_seconds", Map.of("listener", LISTENER, "leg", "frontend",
                "role", "leaf", "serial", c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT)));
    }

    private static boolean metricPresent(String metrics, X509Certificate c) {
        String serial = c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        return metrics.lines().anyMatch(l -> l.startsWith("tlslens_certificate_expiry_timestamp_seconds{")
                && l.contains("listener=\"" + LISTENER + "\"") && l.contains("serial=\"" + serial + "\""));
    }

    @Test
    void symlinkSwapsUnderLoadServeTheNewPairWithoutAFailedHandshake() throws Exception {
        TestPki.Issued a = pki.leaf("localhost");
        TestPki.Issued b = pki.leaf("localhost");
        TestPki.Issued c = pki.leaf("localhost");
        publish(a, a);
        int port = ProxyHarness.freePort();
        proxy.startWith("reload-interval = 200ms", "{ name = " + LISTENER + ", bind = \"127.0.0.1:" + port + "\", "
                + "tls.certificates = [ { cert = \"" + secret.resolve("tls.crt") + "\", key = \"" + secret.resolve("tls.key")
                + "\" } ], backend.address = \"127.0.0.1:" + backend.port() + "\" }");
        JdkTlsClient client = new JdkTlsClient(dir.resolve("root.pem"));
        assertThat(client.roundTrip(port, "localhost").getSerialNumber()).isEqualTo(a.cert().getSerialNumber());
        assertThat(reloads("success")).isZero();
        assertThat(reloads("failure")).isZero();
        assertThat(expiryGauge(a.cert())).isEqualTo((double) a.cert().getNotAfter().toInstant().getEpochSecond());

        // load: 6 threads doing full handshakes + echo round trips until stopped
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Set<BigInteger> served = ConcurrentHashMap.newKeySet();
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        served.add(client.roundTrip(port, "localhost").getSerialNumber());
                        ok.incrementAndGet();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
            t.start();
            load.add(t);
        }
        try {
            ProxyHarness.await(() -> ok.get() > 20, "load to run");
            publish(b, b);
            awaitServed(client, port, b.cert());
            int afterFirst = ok.get();
            publish(c, c);
            awaitServed(client, port, c.cert());
            ProxyHarness.await(() -> ok.get() > afterFirst + 50, "load to continue after the second swap");
        } finally {
            stop.set(true);
            for (Thread t : load) {
                t.join(20_000);
            }
        }
        assertThat(errors).as("client errors during rotation").isEmpty();
        assertThat(served).contains(a.cert().getSerialNumber(), b.cert().getSerialNumber(), c.cert().getSerialNumber());
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", LISTENER))).isZero();
        assertThat(proxy.value("tlslens_handshakes_total", Map.of("listener", LISTENER, "leg", "frontend")))
                .isGreaterThanOrEqualTo(ok.get());
        assertThat(reloads("success")).isEqualTo(2);
        assertThat(reloads("failure")).isZero();
        String metrics = proxy.metrics();
        assertThat(metricPresent(metrics, a.cert())).as("old leaf series removed").isFalse();
        assertThat(metricPresent(metrics, b.cert())).as("intermediate leaf series removed").isFalse();
        assertThat(expiryGauge(c.cert())).isEqualTo((double) c.cert().getNotAfter().toInstant().getEpochSecond());
        assertThat(proxy.value("tlslens_certificate_expiry_timestamp_seconds", Map.of("listener", LISTENER,
                "role", "intermediate"))).as("the intermediate stays, once").isEqualTo(
                (double) pki.intermediate.cert().getNotAfter().toInstant().getEpochSecond());

        JsonNode reloaded = reloadEvents("tls_certificate_reloaded").get(1);
        assertThat(reloaded.path("listener").asText()).isEqualTo(LISTENER);
        assertThat(reloaded.path("cert_real_path").asText()).contains("..2026_3").endsWith("tls.crt");
        assertThat(reloaded.path("serial").asText()).isEqualTo(c.cert().getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT));

        // a new pair whose key belongs to another certificate: rejected, logged, counted; the old one stays
        TestPki.Issued d = pki.leaf("localhost");
        publish(d, a);
        ProxyHarness.await(() -> {
            try {
                return reloads("failure") == 1;
            } catch (Exception e) {
                return false;
            }
        }, "the bad pair to be rejected");
        List<JsonNode> failed = reloadEvents("tls_certificate_reload_failed");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("level").asText()).isEqualTo("ERROR");
        assertThat(failed.get(0).path("listener").asText()).isEqualTo(LISTENER);
        assertThat(failed.get(0).path("problems").get(0).asText()).contains("does not match")
                .contains("CN=localhost").contains("fix:");
        for (int i = 0; i < 3; i++) {
            assertThat(client.roundTrip(port, "localhost").getSerialNumber()).isEqualTo(c.cert().getSerialNumber());
        }
        assertThat(reloads("success")).isEqualTo(2);
        assertThat(metricPresent(proxy.metrics(), d.cert())).isFalse();
        assertThat(expiryGauge(c.cert())).isPositive();

        // fixing the pair recovers; the bad content, polled many times meanwhile, was reported once
        publish(d, d);
        awaitServed(client, port, d.cert());
        assertThat(reloads("success")).isEqualTo(3);
        assertThat(reloads("failure")).isEqualTo(1);
        assertThat(reloadEvents("tls_certificate_reload_failed")).hasSize(1);
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("listener", LISTENER))).isZero();
    }

    @Test
    void plainRewriteOfTheFilesIsPickedUpAndZeroIntervalDisablesPolling() throws Exception {
        TestPki.Issued a = pki.leaf("localhost");
        TestPki.Issued b = pki.leaf("localhost");
        Path cert = pki.files("plain", a, pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        int off = ProxyHarness.freePort();
        Path cert2 = pki.files("frozen", a, pki.intermediate.cert());
        proxy.startWith("reload-interval = 100ms",
                ProxyHarness.listener(LISTENER, port, cert, backend.port(), "", ""));
        JdkTlsClient client = new JdkTlsClient(dir.resolve("root.pem"));
        assertThat(client.roundTrip(port, "localhost").getSerialNumber()).isEqualTo(a.cert().getSerialNumber());
        pki.files("plain", b, pki.intermediate.cert()); // rewrites plain.pem then plain.key in place
        awaitServed(client, port, b.cert());
        assertThat(reloads("success")).isEqualTo(1);
        proxy.close();

        ProxyHarness frozen = new ProxyHarness(Files.createDirectory(dir.resolve("frozen")));
        try {
            frozen.startWith("reload-interval = 0", ProxyHarness.listener("frozen", off, cert2, backend.port(), "", ""));
            pki.files("frozen", b, pki.intermediate.cert());
            Thread.sleep(500);
            assertThat(client.roundTrip(off, "localhost").getSerialNumber()).isEqualTo(a.cert().getSerialNumber());
            assertThat(frozen.metrics()).doesNotContain("tlslens_config_reloads_total");
        } finally {
            frozen.close();
        }
    }

    private List<JsonNode> reloadEvents(String event) {
        return reloadLog.events().stream().filter(e -> event.equals(e.path("event").asText())).toList();
    }

    private final LogCapture reloadLog = new LogCapture(CertificateReloader.LOGGER);

    private static void awaitServed(JdkTlsClient client, int port, X509Certificate expected) throws InterruptedException {
        ProxyHarness.await(() -> {
            try {
                return client.roundTrip(port, "localhost").getSerialNumber().equals(expected.getSerialNumber());
            } catch (Exception e) {
                throw new AssertionError("handshake failed while waiting for the new certificate", e);
            }
        }, "new handshakes to get serial " + expected.getSerialNumber().toString(16));
    }
}
