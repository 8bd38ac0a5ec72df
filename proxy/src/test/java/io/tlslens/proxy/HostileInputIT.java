package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage from clients is the client's problem, never tlslens' own: random bytes, truncated and oversized
 * records, bad lengths, SSLv2 hellos, a ClientHello followed by junk or by a second ClientHello, mutated
 * ClientHellos and resets mid-write, over real sockets to a terminate and a passthrough listener. None is
 * counted as {@code internal_error}, none logs a stack trace, and every connection is closed.
 */
class HostileInputIT {
    private static final int ROUNDS = 25;

    @TempDir
    Path dir;
    ProxyHarness proxy;
    LogCapture everything;
    EchoBackend backend;
    int terminate;
    int passthrough;

    @BeforeEach
    void setUp() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost", "127.0.0.1"), pki.intermediate.cert());
        backend = new EchoBackend();
        proxy = new ProxyHarness(dir);
        terminate = ProxyHarness.freePort();
        passthrough = ProxyHarness.freePort();
        everything = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME);
        proxy.start(ProxyHarness.listener("term", terminate, cert, backend.port(), "", "handshake-timeout = 2s,"),
                "{ name = pt, bind = \"127.0.0.1:" + passthrough + "\", mode = passthrough, handshake-timeout = 2s, "
                        + "backend { address = \"127.0.0.1:" + backend.port() + "\" } }");
    }

    @AfterEach
    void tearDown() throws Exception {
        everything.close();
        proxy.close();
        backend.close();
    }

    @Test
    void hostileBytesAreNeverInternalErrors() throws Exception {
        byte[] hello = JdkClientHello.bytes("localhost");
        Random random = new Random(42);
        List<Function<Random, byte[]>> kinds = new ArrayList<>();
        kinds.add(r -> bytes(r, 1 + r.nextInt(3000)));                                     // random bytes
        kinds.add(r -> Arrays.copyOf(hello, 5 + r.nextInt(hello.length - 5)));              // truncated record
        kinds.add(r -> record(0x16, bytes(r, 40), 0xffff));                               // length past the maximum
        kinds.add(r -> record(0x16, new byte[] {1, 0, 0, (byte) 200, 3, 3}, -1));         // handshake length overruns
        kinds.add(r -> new byte[] {(byte) 0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10}); // SSLv2
        kinds.add(r -> concat(hello, bytes(r, 1 + r.nextInt(500))));                       // hello + junk
        kinds.add(r -> concat(hello, hello));                                               // two ClientHellos
        kinds.add(r -> mutate(r, hello));                                                   // mutated hello
        kinds.add(r -> concat(hello, record(0x17, bytes(r, 64), -1)));                      // application data too early
        kinds.add(r -> concat(hello, record(0x15, new byte[] {2, (byte) 250}, -1)));       // unknown alert
        ExecutorService clients = Executors.newFixedThreadPool(32);
        List<Future<?>> sent = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Function<Random, byte[]> kind : kinds) {
                byte[] payload = kind.apply(random);
                boolean resetT = random.nextInt(4) == 0;
                boolean resetP = random.nextInt(4) == 0;
                sent.add(clients.submit(() -> send(terminate, payload, resetT)));
                sent.add(clients.submit(() -> send(passthrough, payload, resetP)));
            }
        }
        for (Future<?> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        ProxyHarness.await(() -> {
            try {
                return proxy.value("tlslens_connections_active", Map.of()) == 0;
            } catch (Exception e) {
                return false;
            }
        }, "every hostile connection closed");
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("cause", "internal_error")))
                .as("internal_error counted for client garbage: %s", proxy.log.withCause("internal_error")).isZero();
        List<JsonNode> traces = everything.events().stream().filter(e -> e.has("stack_trace")).toList();
        assertThat(traces).as("log lines with a stack trace").isEmpty();
        // the untested cause: a mutated or truncated hello over a real socket is malformed_handshake
        assertThat(proxy.value("tlslens_handshake_failures_total", Map.of("cause", "malformed_handshake"))).isPositive();
    }

    /** Sends the bytes, then reads until the proxy closes (or resets mid-write when {@code reset}). */
    private static Void send(int port, byte[] payload, boolean reset) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            if (reset) {
                out.write(payload, 0, payload.length / 2);
                out.flush();
                s.setSoLinger(true, 0); // RST while tlslens may be writing
                return null;
            }
            out.write(payload);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // drain what tlslens answers until it closes
            }
        } catch (IOException e) {
            // a reset from tlslens is an acceptable end
        }
        return null;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] record(int type, byte[] body, int lengthField) {
        int len = lengthField < 0 ? body.length : lengthField;
        byte[] b = new byte[5 + body.length];
        b[0] = (byte) type;
        b[1] = 3;
        b[2] = 1;
        b[3] = (byte) (len >> 8);
        b[4] = (byte) len;
        System.arraycopy(body, 0, b, 5, body.length);
        return b;
    }

    private static byte[] mutate(Random r, byte[] hello) {
        byte[] b = hello.clone();
        for (int i = 0; i < 1 + r.nextInt(6); i++) {
            int at = 5 + r.nextInt(b.length - 5); // keep the record header: the body is what gets judged
            b[at] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
