package io.tlslens.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every connection ends, in every mode, whichever side closes first, resets or dies: after each close
 * order the bytes that were sent arrive whole and in order (SHA-256 at both ends), the active gauge is
 * back at 0 and the process holds no extra descriptor. Real sockets: JDK TLS clients and backends.
 */
class ConnectionLifecycleIT {
    /** The four ways tlslens carries a connection. */
    enum Mode { TERMINATE, REENCRYPT, ORIGINATE, PASSTHROUGH }

    @TempDir
    Path dir;
    TestPki pki;
    ProxyHarness proxy;
    ServerSocket backend;
    SSLContext clientTls;
    SSLContext backendTls;
    Mode mode;
    int port;
    long fdsBefore;

    @BeforeEach
    void setUp() throws Exception {
        pki = new TestPki(dir);
        proxy = new ProxyHarness(dir);
        TestPki.Issued leaf = pki.leaf("localhost", "backend.internal", "127.0.0.1");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", leaf.keys().getPrivate(), new char[0], new Certificate[] {leaf.cert(), pki.intermediate.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, new char[0]);
        backendTls = SSLContext.getInstance("TLSv1.3");
        backendTls.init(kmf.getKeyManagers(), null, null);
        clientTls = TestPki.trusting(pki.root.cert());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (backend != null) {
            backend.close();
        }
        proxy.close();
    }

    /** Starts a backend (TLS unless terminate) and tlslens in {@code mode} in front of it. */
    private void start(Mode m, int backendPort) throws Exception {
        mode = m;
        port = ProxyHarness.freePort();
        Path cert = pki.files("front", pki.leaf("localhost", "127.0.0.1"), pki.intermediate.cert());
        String tlsBackend = "tls { enabled = true, trust = \"" + dir.resolve("root.pem") + "\", server-name = backend.internal }";
        String be = "backend { address = \"127.0.0.1:" + backendPort + "\"";
        proxy.start(switch (m) {
            case TERMINATE -> ProxyHarness.listener("life", port, cert, backendPort, "", "handshake-timeout = 3s, idle-timeout = 2s,");
            case REENCRYPT -> "{ name = life, bind = \"127.0.0.1:" + port + "\", mode = terminate, handshake-timeout = 3s, idle-timeout = 2s, "
                    + "tls { certificates = [ { cert = \"" + cert + "\", key = \"" + cert.toString().replace(".pem", ".key")
                    + "\" } ] }, " + be + ", " + tlsBackend + " } }";
            case ORIGINATE -> "{ name = life, bind = \"127.0.0.1:" + port + "\", mode = originate, handshake-timeout = 3s, idle-timeout = 2s, "
                    + be + ", " + tlsBackend + " } }";
            case PASSTHROUGH -> "{ name = life, bind = \"127.0.0.1:" + port + "\", mode = passthrough, handshake-timeout = 3s, idle-timeout = 2s, "
                    + be + " } }";
        });
        fdsBefore = openDescriptors();
    }

    /** A backend on a free port that runs {@code behaviour} on each accepted (TLS unless terminate) socket. */
    private int backend(Mode m, Consumer<Socket> behaviour) throws IOException {
        backend = m == Mode.TERMINATE ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : backendTls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (backend instanceof SSLServerSocket s) {
            s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        }
        ServerSocket server = backend;
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread c = new Thread(() -> behaviour.accept(s), "life-backend-conn");
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "life-backend");
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    /** The client's socket: TLS over a plain TCP socket (so TCP can be half-closed beneath it), plain in originate. */
    private Socket[] connect() throws IOException {
        Socket tcp = new Socket("127.0.0.1", port);
        tcp.setSoTimeout(15_000);
        if (mode == Mode.ORIGINATE) {
            return new Socket[] {tcp, tcp};
        }
        SSLSocket tls = (SSLSocket) clientTls.getSocketFactory().createSocket(tcp, "localhost", port, true);
        tls.startHandshake();
        return new Socket[] {tcp, tls};
    }

    // ------------------------------------------------------------------ close orders

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientSendsThenFinFirstAndStillGetsTheWholeAnswer(Mode m) throws Exception {
        CompletableFuture<String> backendSaw = new CompletableFuture<>();
        byte[] answer = random(256 * 1024, 2);
        start(m, backend(m, s -> {
            try (s) {
                backendSaw.complete(sha256(s.getInputStream().readAllBytes())); // to the end of input
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
            } catch (Exception e) {
                backendSaw.complete("backend failed: " + e);
            }
        }));
        byte[] upload = random(300_000, 1);
        Socket[] c = connect();
        try (Socket tcp = c[0]) {
            c[1].getOutputStream().write(upload);
            c[1].getOutputStream().flush();
            tcp.shutdownOutput(); // a TCP FIN at once, no close_notify: nc -N, HTTP/1.0 tools
            assertThat(sha256(c[1].getInputStream().readAllBytes())).as("answer after the client's FIN").isEqualTo(sha256(answer));
        }
        assertThat(backendSaw.get(10, TimeUnit.SECONDS)).isEqualTo(sha256(upload));
        assertEverythingClosed();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void backendAnswersAndClosesFirst(Mode m) throws Exception {
        byte[] answer = random(200_000, 3);
        start(m, backend(m, s -> {
            try (s) {
                s.getInputStream().read(new byte[4]);
                s.getOutputStream().write(answer);
                s.getOutputStream().flush();
            } catch (Exception e) {
                // the test fails on the client side
            }
        }));
        Socket[] c = connect();
        try (Socket tcp = c[0]) {
            c[1].getOutputStream().write("GET\n".getBytes());
            c[1].getOutputStream().flush();
            assertThat(sha256(c[1].getInputStream().readAllBytes())).isEqualTo(sha256(answer));
        }
        assertEverythingClosed();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientResetMidTransfer(Mode m) throws Exception {
        CompletableFuture<Boolean> backendEnded = new CompletableFuture<>();
        start(m, backend(m, s -> {
            try (s) {
                InputStream in = s.getInputStream();
                while (in.read(new byte[8192]) >= 0) {
                    s.getOutputStream().write(new byte[8192]); // keeps sending while the client is gone
                }
            } catch (IOException e) {
                // reset: expected
            }
            backendEnded.complete(true);
        }));
        Socket[] c = connect();
        c[1].getOutputStream().write(random(50_000, 4));
        c[1].getOutputStream().flush();
        c[1].getInputStream().read(new byte[1000]);
        c[0].setSoLinger(true, 0);
        c[0].close(); // RST
        assertThat(backendEnded.get(10, TimeUnit.SECONDS)).as("the backend side was closed too").isTrue();
        assertEverythingClosed();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void backendResetMidTransfer(Mode m) throws Exception {
        start(m, backend(m, s -> {
            try {
                s.getOutputStream().write(random(64 * 1024, 5));
                s.getOutputStream().flush();
                s.setSoLinger(true, 0);
                s.close(); // the backend dies mid-stream
            } catch (IOException e) {
                // ignore
            }
        }));
        Socket[] c = connect();
        try (Socket tcp = c[0]) {
            c[1].getOutputStream().write("x".getBytes());
            c[1].getOutputStream().flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                c[1].getInputStream().transferTo(got); // ends: EOF or reset, never a hang
            } catch (IOException e) {
                // a reset passed on is fine
            }
        }
        assertEverythingClosed();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void backendHalfClosesWhileTheClientKeepsSending(Mode m) throws Exception {
        CompletableFuture<String> backendSaw = new CompletableFuture<>();
        start(m, backend(m, s -> {
            try (s) {
                s.getOutputStream().write("bye\n".getBytes());
                s.getOutputStream().flush();
                if (!(s instanceof SSLSocket)) {
                    s.shutdownOutput(); // TCP half-close; TLS backends close after reading instead
                }
                backendSaw.complete(sha256(s.getInputStream().readAllBytes()));
            } catch (Exception e) {
                backendSaw.complete("backend failed: " + e);
            }
        }));
        byte[] upload = random(100_000, 6);
        Socket[] c = connect();
        try (Socket tcp = c[0]) {
            byte[] bye = c[1].getInputStream().readNBytes(4);
            assertThat(new String(bye)).isEqualTo("bye\n");
            c[1].getOutputStream().write(upload);
            c[1].getOutputStream().flush();
            tcp.shutdownOutput();
            c[1].getInputStream().readAllBytes();
        }
        // Only the plain backend half-closes here (terminate): the client then gets close_notify and the
        // connection ends; what a TLS client still sends after tlslens' close_notify is not promised to arrive.
        assertThat(backendSaw.get(10, TimeUnit.SECONDS)).doesNotStartWith("backend failed");
        assertEverythingClosed();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientVanishesWhileTheBackendIsSilent(Mode m) throws Exception {
        start(m, backend(m, s -> {
            try {
                Thread.sleep(60_000); // accepts, never reads, never answers (no TLS handshake either)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Socket tcp = new Socket("127.0.0.1", port);
        if (mode != Mode.ORIGINATE) {
            SSLSocket tls = (SSLSocket) clientTls.getSocketFactory().createSocket(tcp, "localhost", port, true);
            tls.setSoTimeout(2_000);
            try {
                tls.startHandshake(); // passthrough: stalls, the backend never answers
                tls.getOutputStream().write("hello".getBytes());
                tls.getOutputStream().flush();
            } catch (IOException e) {
                // fine: the client gives up
            }
        }
        tcp.close();
        assertEverythingClosed();
        if (m == Mode.TERMINATE) {
            // connected to a backend that never answers and a client that is gone: only the idle timeout ends it
            assertThat(proxy.value("tlslens_idle_timeouts_total", Map.of("listener", "life"))).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void unreachableBackendClosesTheClient(Mode m) throws Exception {
        start(m, ProxyHarness.freePort()); // nothing listens there
        Socket tcp = new Socket("127.0.0.1", port);
        tcp.setSoTimeout(10_000);
        try (tcp) {
            if (mode == Mode.ORIGINATE) {
                assertThat(tcp.getInputStream().read()).isEqualTo(-1);
            } else {
                SSLSocket tls = (SSLSocket) clientTls.getSocketFactory().createSocket(tcp, "localhost", port, true);
                try {
                    tls.startHandshake();
                    assertThat(tls.getInputStream().read()).isEqualTo(-1);
                } catch (IOException e) {
                    // passthrough: the ClientHello found no backend, the handshake ends
                }
            }
        }
        proxy.awaitConnectFailure("life", "backend_connect_refused");
        assertEverythingClosed();
    }

    // ------------------------------------------------------------------ helpers

    private void assertEverythingClosed() throws Exception {
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_connections_active", Map.of("listener", "life")) == 0;
            } catch (Exception e) {
                return false;
            }
        }, "tlslens_connections_active back to 0 (" + mode + ")");
        if (backend != null) {
            backend.close();
        }
        ProxyHarness.await(() -> openDescriptors() <= fdsBefore + 5,
                "open descriptors back at the baseline " + fdsBefore + " ± 5 (" + mode + ")");
    }

    private static long openDescriptors() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
