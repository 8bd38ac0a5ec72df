package io.tlslens.proxy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay is byte-exact both ways with real peers (curl, python3 http.server), and propagates half-close. */
class RelayIT {
    @TempDir
    Path dir;
    TestPki pki;
    Path cert;
    ProxyHarness proxy;

    @BeforeEach
    void pki() throws Exception {
        pki = new TestPki(dir);
        cert = pki.files("web", pki.leaf("localhost"), pki.intermediate.cert());
        proxy = new ProxyHarness(dir);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void largeDownloadFromPythonHttpServerIsByteForByte() throws Exception {
        Path www = Files.createDirectory(dir.resolve("www"));
        byte[] payload = new byte[8 * 1024 * 1024 + 17];
        new Random(42).nextBytes(payload);
        Files.write(www.resolve("blob.bin"), payload);
        int be = ProxyHarness.freePort();
        Process py = new ProcessBuilder("python3", "-m", "http.server", Integer.toString(be), "--bind", "127.0.0.1",
                "--directory", www.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("py.log").toFile()).start();
        try {
            ProxyHarness.await(() -> {
                try (Socket s = new Socket("127.0.0.1", be)) {
                    return true;
                } catch (Exception e) {
                    return false;
                }
            }, "python3 http.server to listen");
            int port = ProxyHarness.freePort();
            proxy.start(ProxyHarness.listener("web", port, cert, be, "", ""));
            Path out = dir.resolve("out.bin");
            var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", dir.resolve("root.pem").toString(),
                    "--resolve", "localhost:" + port + ":127.0.0.1", "-o", out.toString(),
                    "https://localhost:" + port + "/blob.bin"));
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(sha256(Files.readAllBytes(out))).isEqualTo(sha256(payload));
            assertThat(proxy.value("tlslens_bytes_total", java.util.Map.of("listener", "web", "direction", "backend_to_client")))
                    .isGreaterThanOrEqualTo(payload.length);
        } finally {
            py.destroy();
            py.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void largeUploadIsByteForByte() throws Exception {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                byte[] body = in.readAllBytes();
                byte[] answer = sha256(body).getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, answer.length);
                ex.getResponseBody().write(answer);
            } catch (Exception e) {
                ex.sendResponseHeaders(500, -1);
            }
            ex.close();
        });
        backend.start();
        try {
            byte[] payload = new byte[5 * 1024 * 1024 + 3];
            new Random(7).nextBytes(payload);
            Path in = dir.resolve("up.bin");
            Files.write(in, payload);
            int port = ProxyHarness.freePort();
            proxy.start(ProxyHarness.listener("web", port, cert, backend.getAddress().getPort(), "", ""));
            var r = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "20", "--cacert", dir.resolve("root.pem").toString(),
                    "--resolve", "localhost:" + port + ":127.0.0.1", "--data-binary", "@" + in,
                    "https://localhost:" + port + "/upload"));
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.stdout()).isEqualTo(sha256(payload));
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void clientCloseNotifyReachesTheBackendAsEndOfInputAfterEveryByte() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = backend.accept()) {
                    return sha256(s.getInputStream().readAllBytes());
                } catch (Exception e) {
                    return "failed: " + e;
                }
            });
            int port = ProxyHarness.freePort();
            proxy.start(ProxyHarness.listener("web", port, cert, backend.getLocalPort(), "", ""));
            byte[] data = new byte[300_000];
            new Random(1).nextBytes(data);
            try (SSLSocket s = (SSLSocket) trusting().getSocketFactory().createSocket("localhost", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(data);
                s.getOutputStream().flush();
                s.shutdownOutput();
                assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(sha256(data));
            }
        }
    }

    @Test
    void backendHalfCloseReachesTheClientAsCloseNotifyAndTheClientCanStillClose() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> rest = CompletableFuture.supplyAsync(() -> {
                try (Socket s = backend.accept()) {
                    s.getOutputStream().write("hello, then FIN\n".getBytes(StandardCharsets.US_ASCII));
                    s.shutdownOutput();
                    return s.getInputStream().readAllBytes().length;
                } catch (Exception e) {
                    return -1;
                }
            });
            int port = ProxyHarness.freePort();
            proxy.start(ProxyHarness.listener("web", port, cert, backend.getLocalPort(), "", ""));
            try (SSLSocket s = (SSLSocket) trusting().getSocketFactory().createSocket("localhost", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                s.getInputStream().transferTo(answer);
                assertThat(answer.toString(StandardCharsets.US_ASCII)).isEqualTo("hello, then FIN\n");
            }
            assertThat(rest.get(10, TimeUnit.SECONDS)).as("bytes the backend read before the proxy closed it").isEqualTo(4);
        }
    }

    @Test
    void payloadAndKeysNeverReachALogLineEvenAtDebugLevel() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
        Level rootBefore = root.getLevel();
        Level nettyBefore = netty.getLevel();
        root.setLevel(Level.DEBUG);
        netty.setLevel(Level.DEBUG);
        String marker = "PAYLOAD-MARKER-7f3a9c";
        String keyBody = Files.readAllLines(dir.resolve("web.key")).get(1); // a line of the private key's base64
        try (LogCapture everything = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
             EchoBackend backend = new EchoBackend()) {
            int port = ProxyHarness.freePort();
            proxy.start(ProxyHarness.listener("web", port, cert, backend.port(), "", ""));
            try (SSLSocket s = (SSLSocket) trusting().getSocketFactory().createSocket("localhost", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write((marker + "\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                assertThat(new String(s.getInputStream().readNBytes(marker.length() + 1), StandardCharsets.US_ASCII))
                        .isEqualTo(marker + "\n");
            }
            // and a failed handshake, whose log line carries the most detail
            ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_1",
                    "-cipher", "DEFAULT@SECLEVEL=0"), marker + "\n");
            proxy.awaitFailure("web", "protocol_version_mismatch");
            List<String> lines = everything.events().stream().map(Object::toString).toList();
            assertThat(lines).as("debug logging happened").isNotEmpty();
            assertThat(lines).noneMatch(l -> l.contains(marker)).noneMatch(l -> l.contains(keyBody));
        } finally {
            root.setLevel(rootBefore);
            netty.setLevel(nettyBefore);
        }
    }

    private SSLContext trusting() throws Exception {
        return TestPki.trusting(dir.resolve("root.pem"));
    }
}
