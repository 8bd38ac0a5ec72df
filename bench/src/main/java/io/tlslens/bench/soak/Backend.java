package io.tlslens.bench.soak;

import io.tlslens.bench.soak.Wire.Header;
import io.tlslens.bench.soak.Wire.Order;
import io.tlslens.bench.soak.Wire.Stream;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The echo/sink backend behind tlslens: plain TCP (for terminate listeners) or a JDK TLS server (for
 * passthrough). Per connection it reads the {@link Header}, hashes the upload, streams the answer and
 * ends the connection in the header's {@link Order}. What it saw is kept by connection id for the client
 * side to compare; a connection still open after the deadline is a hang and is reset.
 */
final class Backend implements AutoCloseable {
    /** What the backend saw of one connection. */
    record Served(Stream up, Stream down) {
    }

    final Map<Long, Served> served = new ConcurrentHashMap<>();
    final AtomicInteger hangs = new AtomicInteger();
    /** Hung connections by the order in their header ("no_header" before one arrived). */
    final Map<String, AtomicInteger> hangsByOrder = new ConcurrentHashMap<>();
    private final Map<Socket, String> open = new ConcurrentHashMap<>();
    private final ServerSocket server;
    private final SSLContext tls;
    private final long deadlineMillis;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "soak-backend");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService watchdog;

    Backend(SSLContext tls, long deadlineMillis, ScheduledExecutorService watchdog) throws IOException {
        this.tls = tls;
        this.deadlineMillis = deadlineMillis;
        this.watchdog = watchdog;
        server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "soak-backend-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return backend connections not yet ended */
    int open() {
        return open.size();
    }

    /** Resets the connections still open and counts them as hangs. */
    void resetOpen() {
        open.keySet().forEach(s -> {
            String order = open.remove(s);
            if (order != null) {
                hangs.incrementAndGet();
                hangsByOrder.computeIfAbsent(order, o -> new AtomicInteger()).incrementAndGet();
                Peer.rst(s);
            }
        });
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.put(s, "no_header");
                var timer = watchdog.schedule(() -> {
                    String order = open.remove(s);
                    if (order != null) {
                        hangs.incrementAndGet();
                        hangsByOrder.computeIfAbsent(order, o -> new AtomicInteger()).incrementAndGet();
                        Peer.rst(s);
                    }
                }, deadlineMillis, TimeUnit.MILLISECONDS);
                pool.execute(() -> {
                    try {
                        serve(s);
                    } finally {
                        timer.cancel(false);
                        open.remove(s);
                    }
                });
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void serve(Socket raw) {
        try (Peer p = Peer.accept(raw, tls)) {
            raw.setTcpNoDelay(true);
            InputStream in = p.in();
            Header h = Header.read(in);
            if (h == null) {
                return; // a probe, a reset, a client that never got its bytes through
            }
            open.replace(raw, h.order().name().toLowerCase());
            Stream up = new Stream();
            Stream down = new Stream();
            SplittableRandom rnd = new SplittableRandom(h.id());
            Order o = h.order();
            if (o == Order.CLIENT_FIN) {
                up.receive(in, Long.MAX_VALUE);
                down.send(p.out(), 2 * h.id() + 1, h.down(), rnd);
            } else if (o == Order.BACKEND_FIN) {
                up.receive(in, h.up());
                down.send(p.out(), 2 * h.id() + 1, h.down(), rnd);
            } else {
                CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                    try {
                        up.receive(in, Long.MAX_VALUE);
                    } catch (IOException e) {
                        // reset or closed: the bytes so far are what was received
                    }
                }, pool);
                try {
                    long n = o == Order.BACKEND_RST ? Math.min(h.cut(), h.down()) : h.down();
                    down.send(p.out(), 2 * h.id() + 1, n, rnd);
                    if (o == Order.BACKEND_RST) {
                        p.rst();
                    } else if (o == Order.HALF_CLOSE_BACKEND) {
                        p.closeNotify();
                    }
                } catch (IOException e) {
                    // the client reset: the upload reader ends too
                }
                reading.join();
            }
            served.put(h.id(), new Served(up, down));
        } catch (IOException | RuntimeException e) {
            // a failed TLS handshake, a reset: the client side judges the connection
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.keySet().forEach(Peer::rst);
        pool.shutdownNow();
    }
}
