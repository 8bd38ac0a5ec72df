package io.tlslens.bench.soak;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 2: stallers that send the first 100 bytes of a real ClientHello and then nothing, opened as
 * fast as the listener accepts them, while one client measures full TLS handshakes (connect to
 * handshake done, no resumption). Checks: tlslens closes every staller within handshake-timeout + 1 s of
 * its last byte and counts each as {@code handshake_timeout}; the client's handshake p99 with stallers is
 * within +10 % of its p99 without them; afterwards the gauge is 0 and descriptors are back.
 */
final class StallScenario {
    private static final int PREFIX = 100;
    private static final int CONNECTING = 256;

    private final Soak soak;
    private final int port;
    private final int timeoutSeconds;

    StallScenario(Soak soak, int port, int timeoutSeconds) {
        this.soak = soak;
        this.port = port;
        this.timeoutSeconds = timeoutSeconds;
    }

    Soak.Result run(int stallers) throws Exception {
        SSLContext legit = soak.pki.client();
        byte[] prefix = Arrays.copyOf(Hellos.jdk(legit, "localhost"), PREFIX);
        int fdsBefore = soak.tlslens.fds();
        String[] timeouts = {"listener=\"stall\"", "cause=\"handshake_timeout\""};
        double countedBefore = soak.tlslens.sum("tlslens_handshake_failures_total", timeouts);
        handshakes(legit, 50, null); // warm-up
        AtomicBoolean measuring = new AtomicBoolean(true);
        soak.watchdog.schedule(() -> measuring.set(false), timeoutSeconds + 1L, TimeUnit.SECONDS);
        List<Long> without = handshakes(legit, Integer.MAX_VALUE, measuring); // as long as a staller lives, at least

        AtomicBoolean stalling = new AtomicBoolean(true);
        CompletableFuture<List<Long>> with = CompletableFuture.supplyAsync(() -> {
            try {
                return handshakes(legit, Integer.MAX_VALUE, stalling);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long[] closedAfter = stall(stallers, prefix);
        stalling.set(false);
        List<Long> during = with.get();

        long late = Arrays.stream(closedAfter).filter(ms -> ms > (timeoutSeconds + 1) * 1000L).count();
        long never = Arrays.stream(closedAfter).filter(ms -> ms == Long.MAX_VALUE).count();
        long failedToOpen = Arrays.stream(closedAfter).filter(ms -> ms < 0).count();
        long maxMs = Arrays.stream(closedAfter).filter(ms -> ms >= 0 && ms != Long.MAX_VALUE).max().orElse(-1);
        double[] counted = {0};
        Tlslens.await(() -> {
            try {
                counted[0] = soak.tlslens.sum("tlslens_handshake_failures_total", timeouts) - countedBefore;
                return counted[0] >= stallers;
            } catch (Exception e) {
                return false;
            }
        }, 10);
        double p99Without = p99(without);
        double p99With = p99(during);
        Soak.Settled settled = soak.settle(fdsBefore);
        // a p99 of a hundred samples is the maximum of a noisy machine: judged only from 1,000 samples each
        boolean judged = without.size() >= 1000 && during.size() >= 1000;
        boolean pass = late == 0 && never == 0 && failedToOpen == 0 && counted[0] == stallers
                && (!judged || p99With <= 1.10 * p99Without) && settled.ok();
        return new Soak.Result("2 stall", pass, String.format(
                "stallers=%d closed_late=%d never_closed=%d open_failed=%d max_close=%dms (timeout %ds) handshake_timeout=%.0f "
                        + "p99_without=%.1fms (n=%d) p99_with=%.1fms (n=%d, %+.0f%%%s) %s",
                stallers, late, never, failedToOpen, maxMs, timeoutSeconds, counted[0], p99Without, without.size(),
                p99With, during.size(), 100 * (p99With / p99Without - 1), judged ? "" : ", not judged below n=1000",
                settled.figures()));
    }

    /** Full handshakes one after another, {@code count} of them or while {@code go} holds; @return their durations (ns) */
    private List<Long> handshakes(SSLContext ctx, int count, AtomicBoolean go) throws Exception {
        List<Long> ns = new ArrayList<>();
        for (int i = 0; i < count && (go == null || go.get()); i++) {
            long t0 = System.nanoTime();
            try (Peer p = Peer.connect(port, ctx, "localhost")) {
                ns.add(System.nanoTime() - t0);
                p.tls.getSession().invalidate();
            } catch (IOException e) {
                soak.note("stall: a legitimate handshake failed", e.toString());
            }
        }
        return ns;
    }

    private static double p99(List<Long> ns) {
        if (ns.isEmpty()) {
            return Double.NaN;
        }
        long[] a = ns.stream().mapToLong(Long::longValue).sorted().toArray();
        return a[(int) Math.ceil(0.99 * a.length) - 1] / 1e6;
    }

    /**
     * Opens {@code n} stallers (at most 256 connecting at once), each sending {@code prefix} and then
     * nothing, and waits until tlslens closed them all or timeout + 5 s passed after the last one.
     *
     * @return per staller: milliseconds from its last byte to tlslens' close; MAX_VALUE if never; -1 if it could not open
     */
    private long[] stall(int n, byte[] prefix) throws IOException {
        long[] closedAfter = new long[n];
        long[] sentAt = new long[n];
        Arrays.fill(closedAfter, Long.MAX_VALUE);
        ByteBuffer sink = ByteBuffer.allocate(4096);
        InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);
        int opened = 0;
        int connecting = 0;
        int done = 0;
        long lastSent = System.nanoTime();
        try (Selector sel = Selector.open()) {
            while (done < n) {
                while (opened < n && connecting < CONNECTING) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.connect(addr);
                    ch.register(sel, SelectionKey.OP_CONNECT, opened++);
                    connecting++;
                }
                if (opened == n && System.nanoTime() - lastSent > TimeUnit.SECONDS.toNanos(timeoutSeconds + 5)) {
                    break;
                }
                sel.select(100);
                for (SelectionKey k : sel.selectedKeys()) {
                    int i = (Integer) k.attachment();
                    SocketChannel ch = (SocketChannel) k.channel();
                    try {
                        if (k.isConnectable()) {
                            connecting--;
                            ch.finishConnect();
                            ch.write(ByteBuffer.wrap(prefix));
                            sentAt[i] = lastSent = System.nanoTime();
                            k.interestOps(SelectionKey.OP_READ);
                        } else if (k.isReadable()) {
                            sink.clear();
                            if (ch.read(sink) < 0) {
                                throw new IOException("end of input");
                            }
                        }
                    } catch (IOException e) {
                        closedAfter[i] = sentAt[i] == 0 ? -1 : (System.nanoTime() - sentAt[i]) / 1_000_000;
                        if (sentAt[i] == 0) {
                            soak.note("stall: a staller could not connect", e.toString());
                        }
                        done++;
                        k.cancel();
                        ch.close();
                    }
                }
                sel.selectedKeys().clear();
            }
            for (SelectionKey k : sel.keys()) {
                Peer.rst(((SocketChannel) k.channel()).socket());
            }
        }
        return closedAfter;
    }
}
