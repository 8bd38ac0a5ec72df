package io.tlslens.bench.soak;

import io.tlslens.bench.soak.Wire.Header;
import io.tlslens.bench.soak.Wire.Order;
import io.tlslens.bench.soak.Wire.Stream;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1: relayed connections with random payload sizes each way and a random {@link Order}, 32 at a
 * time, through one listener. Checks: the SHA-256 of each direction is the same at both ends for every
 * non-reset order (0 mismatches), every connection ends within the deadline on both sides (0 hangs), and
 * afterwards tlslens' gauge is 0 and its descriptors are back at their baseline ±5.
 */
final class RelayScenario {
    private static final int CONCURRENCY = 32;
    private static final AtomicLong IDS = new AtomicLong();

    private final Soak soak;
    private final String listener;
    private final int port;
    private final Backend backend;
    private final SSLContext client;

    RelayScenario(Soak soak, String listener, int port, Backend backend) throws Exception {
        this.soak = soak;
        this.listener = listener;
        this.port = port;
        this.backend = backend;
        this.client = soak.pki.client();
    }

    Soak.Result run(int connections, int maxPayload) throws Exception {
        int fdsBefore = soak.tlslens.fds();
        long logMark = soak.tlslens.logMark();
        int backendHangsBefore = backend.hangs.get();
        backend.hangsByOrder.clear();
        Map<Outcome, AtomicInteger> outcomes = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new AtomicInteger());
        }
        Map<Order, AtomicInteger> badByOrder = new EnumMap<>(Order.class);
        for (Order o : Order.values()) {
            badByOrder.put(o, new AtomicInteger());
        }
        ExecutorService writers = Executors.newCachedThreadPool(Soak.daemon("soak-writer"));
        long start = System.nanoTime();
        soak.parallel(connections, CONCURRENCY, i -> {
            SplittableRandom rnd = new SplittableRandom(i * 31L + listener.hashCode());
            Order order = Order.values()[rnd.nextInt(Order.values().length)];
            int up = rnd.nextInt(maxPayload + 1);
            int down = rnd.nextInt(maxPayload + 1);
            Header h = new Header(IDS.incrementAndGet(), up, down, order, rnd.nextInt(Math.max(1, Math.max(up, down))));
            Outcome out = connection(h, rnd, writers);
            outcomes.get(out).incrementAndGet();
            if (out != Outcome.OK) {
                badByOrder.get(order).incrementAndGet();
            }
        });
        int mismatches = outcomes.get(Outcome.MISMATCH).get();
        int failed = outcomes.get(Outcome.FAILED).get();
        int hangs = outcomes.get(Outcome.HANG).get();
        writers.shutdownNow();
        double seconds = (System.nanoTime() - start) / 1e9;
        Tlslens.await(() -> backend.open() == 0, (int) (soak.deadlineMillis / 1000) + 5);
        backend.resetOpen();
        int backendHangs = backend.hangs.get() - backendHangsBefore;
        Soak.Settled settled = soak.settle(fdsBefore);
        int traces = soak.tlslens.stackTracesSince(logMark).size();
        boolean pass = mismatches == 0 && failed == 0 && hangs == 0 && backendHangs == 0 && settled.ok();
        StringBuilder bad = new StringBuilder();
        badByOrder.forEach((o, n) -> {
            if (n.get() > 0) {
                bad.append(bad.length() == 0 ? " bad_by_order=" : ",").append(o.name().toLowerCase()).append(':').append(n.get());
            }
        });
        if (!backend.hangsByOrder.isEmpty()) {
            bad.append(" backend_hangs_by_order=").append(backend.hangsByOrder.toString().replaceAll("[{} ]", ""));
        }
        return new Soak.Result("1 relay " + listener, pass, String.format(
                "conns=%d max_payload=%dKiB %.0fs mismatches=%d failed=%d hangs=%d backend_hangs=%d %s stack_trace_lines=%d%s",
                connections, maxPayload / 1024, seconds, mismatches, failed, hangs, backendHangs,
                settled.figures(), traces, bad));
    }

    /** How one connection ended, as the suite judges it. */
    enum Outcome { OK, MISMATCH, FAILED, HANG }

    private Outcome connection(Header h, SplittableRandom rnd, ExecutorService writers) {
        Stream up = new Stream();
        Stream down = new Stream();
        AtomicBoolean hung = new AtomicBoolean();
        Peer[] peer = new Peer[1];
        ScheduledFuture<?> timer = soak.watchdog.schedule(() -> {
            hung.set(true);
            if (peer[0] != null) {
                peer[0].rst();
            }
        }, soak.deadlineMillis, TimeUnit.MILLISECONDS);
        try (Peer p = Peer.connect(port, client, "localhost")) {
            peer[0] = p;
            if (hung.get()) {
                p.rst();
            }
            p.out().write(h.encode());
            Order o = h.order();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    up.send(p.out(), 2 * h.id(), o == Order.CLIENT_RST ? Math.min(h.cut(), h.up()) : h.up(), rnd.split());
                    if (o == Order.CLIENT_RST) {
                        p.rst();
                    } else if (o != Order.BACKEND_FIN && o != Order.CLOSE_NOTIFY) {
                        p.fin();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, writers);
            InputStream in = p.in();
            if (o == Order.CLOSE_NOTIFY) {
                down.receive(in, h.down());
                writing.join();
                p.closeNotify();
            }
            try {
                down.receive(in, Long.MAX_VALUE);
            } catch (IOException e) {
                if (!o.reset()) {
                    throw e;
                }
            }
            try {
                writing.join();
            } catch (RuntimeException e) {
                if (!o.reset()) {
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (hung.get() || e instanceof java.net.SocketTimeoutException) {
                return Outcome.HANG;
            }
            if (!h.order().reset()) {
                soak.note("relay " + listener + " " + h.order() + " failed", e.toString());
                return Outcome.FAILED;
            }
        } finally {
            timer.cancel(false);
        }
        if (hung.get()) {
            return Outcome.HANG;
        }
        if (h.order().reset()) {
            return Outcome.OK;
        }
        try {
            if (!Tlslens.await(() -> backend.served.containsKey(h.id()), 10)) {
                soak.note("relay " + listener + " " + h.order() + " mismatch", "the backend never finished connection " + h.id());
                return Outcome.MISMATCH;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        }
        Backend.Served s = backend.served.remove(h.id());
        if (up.bytes() == h.up() && s.up().same(up) && s.down().same(down) && down.bytes() == h.down()) {
            return Outcome.OK;
        }
        if (listener.equals("term") && h.order() == Order.HALF_CLOSE_BACKEND && s.down().same(down)
                && down.bytes() == h.down() && s.up().bytes() < h.up()) {
            // Known limit (README "Limits of this release"): once tlslens sent the TLS client its close_notify
            // (the backend half-closed), the engine may keep the client's last records undelivered. Counted apart.
            soak.note("relay term HALF_CLOSE_BACKEND upload tail after tlslens' close_notify not delivered (known limit)",
                    (h.up() - s.up().bytes()) + " bytes");
            return Outcome.OK;
        }
        soak.note("relay " + listener + " " + h.order() + " mismatch", String.format(
                "upload %d of %d bytes arrived (hash %s), download %d of %d (hash %s)", s.up().bytes(), h.up(), s.up().same(up) ? "same" : "differs",
                down.bytes(), h.down(), s.down().same(down) ? "same" : "differs"));
        return Outcome.MISMATCH;
    }
}
