package io.tlslens.bench.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The soak suite: starts an echo/sink backend (plain TCP and TLS) in this process, then tlslens from its
 * jar with a generated configuration on free loopback ports, drives real peers through it in four
 * scenarios, prints one line of figures per scenario and a table, and exits 1 when a check failed.
 * <pre>
 *   java -cp bench/target/classes:proxy/target/tlslens.jar io.tlslens.bench.soak.Soak --jar proxy/target/tlslens.jar
 *        [--scale N] [--only 1,2,3,4] [--deadline SECONDS]
 * </pre>
 * {@code --scale 1} is the full soak (100,000 relayed connections per mode, 10,000 stallers, 100,000 SNI
 * handshakes, 1,000,000 hostile records); {@code --scale 0.01} the bounded CI run.
 */
public final class Soak {
    /** One scenario's line: its name, PASS or FAIL, and its figures. */
    record Result(String name, boolean pass, String figures) {
        @Override
        public String toString() {
            return String.format("%-22s %-4s  %s", name, pass ? "PASS" : "FAIL", figures);
        }
    }

    /** The figures after a scenario: tlslens' active-connections gauge and its descriptors before and after. */
    record Settled(double active, int fdsBefore, int fdsAfter) {
        boolean ok() {
            return active == 0 && Math.abs(fdsAfter - fdsBefore) <= 5;
        }

        String figures() {
            return String.format("active=%.0f fds=%d->%d", active, fdsBefore, fdsAfter);
        }
    }

    final Pki pki;
    final Tlslens tlslens;
    final long deadlineMillis;
    final ScheduledExecutorService watchdog = Executors.newScheduledThreadPool(1, daemon("soak-watchdog"));
    private final Map<String, Note> notes = new TreeMap<>();

    private Soak(Pki pki, Tlslens tlslens, long deadlineMillis) {
        this.pki = pki;
        this.tlslens = tlslens;
        this.deadlineMillis = deadlineMillis;
    }

    public static void main(String[] args) throws Exception {
        double scale = 1;
        Path jar = Path.of("proxy/target/tlslens.jar");
        String only = "1234";
        int deadline = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--only" -> only = args[++i].replace(",", "");
                case "--deadline" -> deadline = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: Soak [--scale N] [--jar tlslens.jar] [--only 1,2,3,4] [--deadline SECONDS]");
                    System.exit(64);
                }
            }
        }
        Path dir = Files.createTempDirectory("tlslens-soak-");
        Pki pki = new Pki(dir);
        ScheduledExecutorService backendWatchdog = Executors.newScheduledThreadPool(1, daemon("soak-backend-watchdog"));
        boolean pass;
        try (Backend plain = new Backend(null, deadline * 1000L, backendWatchdog);
             Backend tls = new Backend(pki.server, deadline * 1000L, backendWatchdog)) {
            Ports ports = new Ports();
            try (Tlslens t = Tlslens.start(jar, dir, ports.listeners(pki, plain.port(), tls.port()))) {
                System.out.printf("soak: scale %s, tlslens pid %d (%s), log %s%n", scale, t.pid(), jar, t.log);
                Soak soak = new Soak(pki, t, deadline * 1000L);
                List<Result> results = new ArrayList<>();
                int maxPayload = (int) Math.max(16 * 1024, Math.min(1, Math.sqrt(scale)) * 1024 * 1024);
                if (only.contains("1")) {
                    results.add(soak.report(new RelayScenario(soak, "term", ports.term, plain).run(n(100_000, scale), maxPayload)));
                    results.add(soak.report(new RelayScenario(soak, "pass", ports.pass, tls).run(n(100_000, scale), maxPayload)));
                }
                if (only.contains("2")) {
                    results.add(soak.report(new StallScenario(soak, ports.stall, Ports.STALL_TIMEOUT_SECONDS).run(n(10_000, scale))));
                }
                if (only.contains("3")) {
                    results.add(soak.report(new SniScenario(soak, ports.sni, ports.sniPass).run(n(100_000, scale))));
                }
                if (only.contains("4")) {
                    results.add(soak.report(new HostileScenario(soak, ports.hostile, ports.hostilePass).run(n(1_000_000, scale))));
                }
                System.out.println();
                System.out.printf("%-22s %-4s  %s%n", "scenario", "", "figures");
                results.forEach(System.out::println);
                soak.printNotes();
                pass = results.stream().allMatch(Result::pass);
                System.out.println(pass ? "soak: PASS" : "soak: FAIL (tlslens log: " + t.log + ")");
            }
        }
        System.exit(pass ? 0 : 1);
    }

    private static int n(int full, double scale) {
        return (int) Math.max(1, Math.round(full * scale));
    }

    private Result report(Result r) {
        System.out.println(r);
        return r;
    }

    /**
     * Counts something odd under {@code kind} and keeps its first example; printed after the table.
     */
    void note(String kind, String example) {
        synchronized (notes) {
            notes.computeIfAbsent(kind, k -> new Note(example)).count++;
        }
    }

    private void printNotes() {
        synchronized (notes) {
            if (!notes.isEmpty()) {
                System.out.println("notes (count, kind: first example):");
                notes.forEach((k, n) -> System.out.println("  " + n.count + " x " + k + ": " + n.example));
            }
        }
    }

    private static final class Note {
        final String example;
        int count;

        Note(String example) {
            this.example = example;
        }
    }

    /**
     * Waits (at most 20 s) for tlslens' connections_active gauge to reach 0 and its descriptors to come back
     * to {@code fdsBefore} ±5, and @return what it saw last.
     */
    Settled settle(int fdsBefore) throws Exception {
        double[] active = {-1};
        int[] fds = {-1};
        Tlslens.await(() -> {
            try {
                active[0] = tlslens.sum("tlslens_connections_active");
                fds[0] = tlslens.fds();
                return active[0] == 0 && Math.abs(fds[0] - fdsBefore) <= 5;
            } catch (Exception e) {
                return false;
            }
        }, 20);
        return new Settled(active[0], fdsBefore, fds[0]);
    }

    /** Runs {@code task} for 0 … {@code count}-1, {@code concurrency} at a time, and waits for all. */
    void parallel(int count, int concurrency, IntConsumer task) throws Exception {
        parallel(count, concurrency, task, () -> false);
    }

    /** As {@link #parallel(int, int, IntConsumer)}, stopping early once {@code enough} holds. */
    void parallel(int count, int concurrency, IntConsumer task, java.util.function.BooleanSupplier enough) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon("soak-client"));
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i; !enough.getAsBoolean() && (i = next.getAndIncrement()) < count; ) {
                    task.accept(i);
                }
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The listeners of the soak configuration, each on a free loopback port. */
    static final class Ports {
        static final int STALL_TIMEOUT_SECONDS = 2;
        final int term = free();
        final int pass = free();
        final int stall = free();
        final int sni = free();
        final int sniPass = free();
        final int hostile = free();
        final int hostilePass = free();

        private static int free() {
            try {
                return Tlslens.freePort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        List<String> listeners(Pki pki, int plainBackend, int tlsBackend) {
            String certs = "tls { certificates = [ { cert = \"" + pki.cert + "\", key = \"" + pki.key + "\" } ] }";
            String plain = "backend { address = \"127.0.0.1:" + plainBackend + "\" }";
            String tls = "backend { address = \"127.0.0.1:" + tlsBackend + "\" }";
            String common = "max-connections = 100000";
            return List.of(
                    "{ name = term, bind = \"127.0.0.1:" + term + "\", mode = terminate, " + common + ", " + certs + ", " + plain + " }",
                    "{ name = pass, bind = \"127.0.0.1:" + pass + "\", mode = passthrough, " + common + ", " + tls + " }",
                    "{ name = stall, bind = \"127.0.0.1:" + stall + "\", mode = terminate, " + common
                            + ", handshake-timeout = " + STALL_TIMEOUT_SECONDS + "s, " + certs + ", " + plain + " }",
                    "{ name = sni, bind = \"127.0.0.1:" + sni + "\", mode = terminate, " + common + ", " + certs + ", " + plain + " }",
                    "{ name = sni-pass, bind = \"127.0.0.1:" + sniPass + "\", mode = passthrough, " + common + ", " + tls
                            + ", routes = [ { server-names = [\"*.routed.soak.test\"], " + tls + " } ] }",
                    "{ name = hostile, bind = \"127.0.0.1:" + hostile + "\", mode = terminate, " + common
                            + ", handshake-timeout = 2s, " + certs + ", " + plain + " }",
                    "{ name = hostile-pass, bind = \"127.0.0.1:" + hostilePass + "\", mode = passthrough, " + common
                            + ", handshake-timeout = 2s, " + tls + " }");
        }
    }
}
