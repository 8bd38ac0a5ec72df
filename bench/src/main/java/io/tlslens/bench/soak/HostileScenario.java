package io.tlslens.bench.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 4: hostile records over real sockets, on a terminate and a passthrough listener: random bytes,
 * random record headers, truncated and oversized records, bad record and handshake lengths, SSLv2 hellos,
 * a valid ClientHello followed by junk or by a second ClientHello, mutated and finely fragmented
 * ClientHellos, and resets while tlslens writes its answer. Each connection then sends a FIN and reads
 * to the end, or resets. Checks: no {@code internal_error} failure and no stack trace in tlslens' log;
 * afterwards the gauge is 0 and descriptors are back.
 */
final class HostileScenario {
    private static final int CONCURRENCY = 16;
    private static final String[] KINDS = {"random_bytes", "random_headers", "truncated", "oversized", "bad_length",
            "sslv2", "hello_then_junk", "double_hello", "mutated", "fragmented", "reset_while_writing"};

    private final Soak soak;
    private final int[] ports;
    private final List<byte[]> hellos = new ArrayList<>();

    HostileScenario(Soak soak, int terminatePort, int passthroughPort) throws Exception {
        this.soak = soak;
        this.ports = new int[]{terminatePort, passthroughPort};
        var ctx = soak.pki.client();
        for (String name : List.of("localhost", "a.routed.soak.test", "hostile.example", "x")) {
            hellos.add(Hellos.jdk(ctx, name));
        }
    }

    Soak.Result run(int records) throws Exception {
        int fdsBefore = soak.tlslens.fds();
        long mark = soak.tlslens.logMark();
        Map<String, Double> causesBefore = soak.tlslens.failuresByCause();
        AtomicLong sent = new AtomicLong();
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger[] byKind = new AtomicInteger[KINDS.length];
        Arrays.setAll(byKind, k -> new AtomicInteger());
        long start = System.nanoTime();
        soak.parallel(Integer.MAX_VALUE, CONCURRENCY, i -> {
            if (sent.get() >= records) {
                return;
            }
            SplittableRandom rnd = new SplittableRandom(i * 104729L + 1);
            int kind = rnd.nextInt(KINDS.length);
            List<byte[]> recs = records(kind, rnd);
            sent.addAndGet(recs.size());
            connections.incrementAndGet();
            byKind[kind].incrementAndGet();
            send(ports[i % 2], kind, recs, rnd);
        }, () -> sent.get() >= records);
        double seconds = (System.nanoTime() - start) / 1e9;
        Soak.Settled settled = soak.settle(fdsBefore);
        Map<String, Double> causes = soak.tlslens.failuresByCause();
        causesBefore.forEach((c, n) -> causes.merge(c, -n, Double::sum));
        causes.values().removeIf(n -> n == 0);
        double internal = causes.getOrDefault("internal_error", 0.0);
        List<String> traces = soak.tlslens.stackTracesSince(mark);
        traces.forEach(t -> soak.note("hostile: stack trace in tlslens' log, "
                        + (t.startsWith("{") ? t.replaceAll(".*\"message\":\"([^\"]{0,60}).*", "$1") : "a line outside JSON"),
                t.substring(0, Math.min(700, t.length()))));
        Map<String, Integer> kinds = new TreeMap<>();
        for (int k = 0; k < KINDS.length; k++) {
            kinds.put(KINDS[k], byKind[k].get());
        }
        soak.note("hostile: connections by kind", kinds.toString());
        soak.note("hostile: handshake failures by cause", causes.toString());
        boolean pass = internal == 0 && traces.isEmpty() && settled.ok();
        return new Soak.Result("4 hostile", pass, String.format(
                "records=%d conns=%d %.0fs internal_error=%.0f stack_trace_lines=%d failures=%.0f %s",
                sent.get(), connections.get(), seconds, internal, traces.size(),
                causes.values().stream().mapToDouble(Double::doubleValue).sum(), settled.figures()));
    }

    /** @return the writes of one hostile connection, each one record (or one chunk of junk) */
    private List<byte[]> records(int kind, SplittableRandom rnd) {
        byte[] hello = hellos.get(rnd.nextInt(hellos.size()));
        List<byte[]> out = new ArrayList<>();
        switch (KINDS[kind]) {
            case "random_bytes" -> {
                for (int n = 1 + rnd.nextInt(32); n > 0; n--) {
                    out.add(random(rnd, 1 + rnd.nextInt(1500)));
                }
            }
            case "random_headers" -> {
                for (int n = 1 + rnd.nextInt(32); n > 0; n--) {
                    int len = rnd.nextInt(300);
                    byte[] body = random(rnd, len);
                    int type = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 20 + rnd.nextInt(5);
                    int declared = rnd.nextInt(3) == 0 ? rnd.nextInt(65536) : len;
                    out.add(record(type, 0x0300 + rnd.nextInt(5), declared, body));
                }
            }
            case "truncated" -> out.add(Arrays.copyOf(hello, 1 + rnd.nextInt(hello.length - 1)));
            case "oversized" -> {
                int declared = 16385 + rnd.nextInt(65536 - 16385);
                out.add(record(22, 0x0301, declared, random(rnd, Math.min(declared, rnd.nextInt(20000)))));
            }
            case "bad_length" -> {
                byte[] h = hello.clone();
                if (rnd.nextBoolean()) { // record length
                    int l = rnd.nextInt(65536);
                    h[3] = (byte) (l >> 8);
                    h[4] = (byte) l;
                } else { // handshake length
                    int l = rnd.nextInt(1 << 24);
                    h[6] = (byte) (l >> 16);
                    h[7] = (byte) (l >> 8);
                    h[8] = (byte) l;
                }
                for (int n = rnd.nextInt(32); n > 0; n--) {
                    out.add(record(22, 0x0301, 0, new byte[0])); // empty handshake records first
                }
                out.add(h);
            }
            case "sslv2" -> out.add(sslv2(rnd));
            case "hello_then_junk" -> {
                out.add(hello);
                for (int n = 1 + rnd.nextInt(16); n > 0; n--) {
                    out.add(rnd.nextBoolean() ? random(rnd, 1 + rnd.nextInt(500))
                            : record(20 + rnd.nextInt(5), 0x0303, -1, random(rnd, rnd.nextInt(500))));
                }
            }
            case "double_hello" -> {
                out.add(hello);
                out.add(hellos.get(rnd.nextInt(hellos.size())));
            }
            case "mutated" -> {
                byte[] h = hello.clone();
                for (int n = 1 + rnd.nextInt(8); n > 0; n--) {
                    h[rnd.nextInt(10) == 0 ? rnd.nextInt(5) : 5 + rnd.nextInt(h.length - 5)] = (byte) rnd.nextInt(256);
                }
                out.add(h);
            }
            case "fragmented" -> {
                byte[] body = Arrays.copyOfRange(hello, 5, hello.length);
                if (rnd.nextInt(4) == 0) {
                    body[rnd.nextInt(body.length)] = (byte) rnd.nextInt(256);
                }
                for (int off = 0; off < body.length; ) {
                    int len = Math.min(body.length - off, 1 + rnd.nextInt(64));
                    out.add(record(22, 0x0301, -1, Arrays.copyOfRange(body, off, off + len)));
                    off += len;
                }
            }
            case "reset_while_writing" -> out.add(hello);
            default -> throw new IllegalStateException(KINDS[kind]);
        }
        return out;
    }

    private void send(int port, int kind, List<byte[]> recs, SplittableRandom rnd) {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            try {
                for (byte[] r : recs) {
                    out.write(r);
                }
                out.flush();
            } catch (IOException e) {
                return; // tlslens closed first: that is its answer to junk
            }
            if (KINDS[kind].equals("reset_while_writing") || rnd.nextBoolean()) {
                if (rnd.nextBoolean()) {
                    s.getInputStream().read(new byte[1 + rnd.nextInt(200)]);
                }
                Peer.rst(s);
                return;
            }
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            while (in.read(buf) >= 0) {
                // drain until tlslens closes
            }
        } catch (SocketTimeoutException e) {
            soak.note("hostile: tlslens kept a connection open 5 s after the client's FIN", KINDS[kind]);
        } catch (IOException e) {
            // reset by tlslens: an answer too
        }
    }

    /** @return a TLS record; {@code declared} < 0 means the body's real length */
    private static byte[] record(int type, int version, int declared, byte[] body) {
        int len = declared < 0 ? body.length : declared;
        ByteArrayOutputStream b = new ByteArrayOutputStream(5 + body.length);
        b.write(type);
        b.write(version >> 8);
        b.write(version);
        b.write(len >> 8);
        b.write(len);
        b.writeBytes(body);
        return b.toByteArray();
    }

    /** @return an SSLv2-format ClientHello (RFC 6101 appendix E), sometimes with random lengths */
    private static byte[] sslv2(SplittableRandom rnd) {
        int specs = 3 * (1 + rnd.nextInt(20));
        int challenge = 16 + rnd.nextInt(17);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int len = 9 + specs + challenge;
        b.write(0x80 | (len >> 8));
        b.write(len);
        b.write(1); // CLIENT-HELLO
        b.write(3);
        b.write(rnd.nextInt(4));
        b.write(specs >> 8);
        b.write(rnd.nextInt(4) == 0 ? rnd.nextInt(256) : specs);
        b.write(0);
        b.write(0); // no session id
        b.write(0);
        b.write(rnd.nextInt(4) == 0 ? rnd.nextInt(256) : challenge);
        b.writeBytes(random(rnd, specs + challenge));
        return b.toByteArray();
    }

    private static byte[] random(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
