package io.tlslens.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar as users run it: the embedded default, and a graceful stop on SIGTERM. */
class LauncherIT {
    private static final Path JAR = Path.of("target", "tlslens.jar");

    @TempDir
    Path dir;

    private Process launch(Path log, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir, "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void awaitPort(int port) throws InterruptedException {
        ProxyHarness.await(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (Exception e) {
                return false;
            }
        }, "port " + port + " to accept");
    }

    @Test
    void embeddedDefaultServesAtOnceWithAPrintedSelfSignedCertificate() throws Exception {
        Path log = dir.resolve("default.log");
        // the embedded default's addresses, moved to free ports so that no other instance is in the way
        int listen = ProxyHarness.freePort();
        int admin = ProxyHarness.freePort();
        Process p = launch(log, Map.of("TLSLENS_BIND", "127.0.0.1:" + listen, "TLSLENS_ADMIN_BIND", "127.0.0.1:" + admin,
                "TLSLENS_BACKEND", "127.0.0.1:" + ProxyHarness.freePort()));
        try {
            awaitPort(admin);
            awaitPort(listen);
            String out = Files.readString(log);
            Matcher pem = Pattern.compile("written to (\\S+\\.pem)").matcher(out);
            assertThat(pem.find()).as(out).isTrue();
            assertThat(out).containsPattern("SHA-256 fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}");
            var res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            // the printed PEM is the certificate served for localhost: curl trusts it and only fails on the absent backend
            var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "10", "--cacert", pem.group(1),
                    "https://localhost:" + listen + "/"));
            assertThat(r.stderr()).doesNotContain("certificate");
            var metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("tlslens_certificate_expiry_timestamp_seconds{leg=\"frontend\",listener=\"default\"");
        } finally {
            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void sigtermStopsAcceptingAndDrainsOpenConnections() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CountDownLatch answer = new CountDownLatch(1);
            CompletableFuture<Void> slowBackend = CompletableFuture.runAsync(() -> {
                try (Socket s = backend.accept()) {
                    s.getInputStream().read();
                    // answers only once the test has seen the drain begin: no race with a fixed delay
                    answer.await(20, TimeUnit.SECONDS);
                    s.getOutputStream().write("late answer\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int port = ProxyHarness.freePort();
            int admin = ProxyHarness.freePort();
            Path conf = dir.resolve("drain.conf");
            Files.writeString(conf, "tlslens {\n admin { bind = \"127.0.0.1:" + admin + "\" }\n drain-timeout = 10s\n listeners = [\n"
                    + ProxyHarness.listener("web", port, cert, backend.getLocalPort(), "", "") + "\n ]\n}\n");
            Process p = launch(dir.resolve("drain.log"), Map.of(), "--config", conf.toString());
            awaitPort(port);
            try (SSLSocket s = (SSLSocket) trusting(dir.resolve("root.pem")).getSocketFactory().createSocket("localhost", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write('x');
                s.getOutputStream().flush();
                ProxyHarness.await(() -> scrape(admin).contains("tlslens_bytes_total{direction=\"client_to_backend\",listener=\"web\"} 1.0"),
                        "the byte relayed to the backend");
                p.destroy(); // SIGTERM
                ProxyHarness.await(() -> {
                    try {
                        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin
                                + "/readyz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 503;
                    } catch (Exception e) {
                        return false;
                    }
                }, "/readyz to answer 503 while draining");
                ProxyHarness.await(() -> {
                    try (Socket probe = new Socket("127.0.0.1", port)) {
                        return false;
                    } catch (Exception refused) {
                        return true;
                    }
                }, "the listener to stop accepting");
                answer.countDown();
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("late answer\n");
            }
            slowBackend.get(10, TimeUnit.SECONDS);
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(dir.resolve("drain.log"))).isZero();
        }
    }

    @Test
    void textLogFormatGivesOneReadableLinePerFailure() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        Path conf = dir.resolve("text.conf");
        Files.writeString(conf, "tlslens {\n admin { bind = \"127.0.0.1:" + ProxyHarness.freePort() + "\" }\n"
                + " log { format = text, level = info }\n listeners = [\n"
                + ProxyHarness.listener("web", port, cert, ProxyHarness.freePort(), "", "") + "\n ]\n}\n");
        Path log = dir.resolve("text.log");
        Process p = launch(log, Map.of(), "--config", conf.toString());
        try {
            awaitPort(port);
            ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                    "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"), "");
            ProxyHarness.await(() -> {
                try {
                    return Files.readString(log).contains("cause=protocol_version_mismatch");
                } catch (Exception e) {
                    return false;
                }
            }, "a text failure line");
            String line = Files.readAllLines(log).stream().filter(l -> l.contains("cause=protocol_version_mismatch"))
                    .findFirst().orElseThrow();
            assertThat(line).doesNotStartWith("{").contains("listener=web").contains("client=127.0.0.1:")
                    .contains("sni=localhost").contains("alert=protocol_version from proxy").contains("| fix: ")
                    .containsPattern("^\\d{4}-\\d{2}-\\d{2}T");
            assertThat(Files.readString(log)).contains("tlslens 0.1.0").contains("starting: configuration " + conf);
        } finally {
            p.destroy();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void versionNamesTheBuildNettyAndTheEngine() throws Exception {
        Path log = dir.resolve("version.log");
        Process p = launch(log, Map.of(), "--version");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).containsPattern("tlslens \\d+\\.\\d+\\.\\d+\\S* \\(\\S+\\)")
                .containsPattern("netty 4\\.\\d+\\.\\d+").contains("TLS engine ");
    }

    private static String scrape(int admin) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static SSLContext trusting(Path rootPem) throws Exception {
        return TestPki.trusting(rootPem);
    }
}
