package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlslens.config.ConfigLoader;
import io.tlslens.config.ConfigProblem;
import io.tlslens.proxy.runtime.TlslensServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs tlslens in-process on free loopback ports from a HOCON file, runs real peers (openssl,
 * curl) as processes, and reads /metrics and the JSON failure log.
 */
public final class ProxyHarness implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public final Path dir;
    public final int adminPort;
    final LogCapture log = new LogCapture();
    private TlslensServer server;

    public ProxyHarness(Path dir) throws IOException {
        this.dir = dir;
        this.adminPort = freePort();
    }

    /** Ports handed out in this JVM: each is handed out once. */
    private static final Set<Integer> ISSUED = ConcurrentHashMap.newKeySet();
    /** Lowest port tried; below it sit well-known services. */
    private static final int LOW = 20_000;
    /** The next candidate, from a start that differs per JVM (two test JVMs seldom try the same ports). */
    private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() * 7919 % 10_000));

    /**
     * A port that is free now and stays free until the test binds it: taken below the kernel's ephemeral range
     * ({@code net.ipv4.ip_local_port_range}), where no outgoing connection of the tests is given a source port
     * (a port from {@code bind(0)}, closed and bound again later, was once taken meanwhile by a client socket of
     * another test: "Address already in use"). Falls back to {@code bind(0)} when that range leaves no room.
     *
     * @return a free loopback TCP port, never one this JVM handed out before
     * @throws IOException when no port can be found
     */
    public static int freePort() throws IOException {
        int high = ephemeralLow();
        if (high - LOW >= 1_000) {
            for (int tries = 0; tries < high - LOW; tries++) {
                int port = LOW + Math.floorMod(NEXT.getAndIncrement(), high - LOW);
                if (ISSUED.add(port) && bindable(port)) {
                    return port;
                }
            }
        }
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (ISSUED.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** @return the first port of the kernel's ephemeral range (32768 when it cannot be read) */
    private static int ephemeralLow() {
        try {
            // read line by line: Files.readString trusts the size /proc reports and may return a fragment
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    /**
     * Starts tlslens with these listener objects (HOCON, without the surrounding list).
     *
     * @param listeners listener objects, comma-separated
     */
    public void start(String... listeners) throws Exception {
        startWith("", listeners);
    }

    /**
     * Starts tlslens with extra top-level keys inside {@code tlslens { }} and these listener objects.
     *
     * @param topLevel  HOCON lines, e.g. {@code reload-interval = 200ms}, or empty
     * @param listeners listener objects, comma-separated
     */
    public void startWith(String topLevel, String... listeners) throws Exception {
        String conf = "tlslens {\n  admin { bind = \"127.0.0.1:" + adminPort + "\" }\n  drain-timeout = 1s\n" + topLevel + "\n"
                + "  listeners = [\n" + String.join(",\n", listeners) + "\n  ]\n}\n";
        Path file = dir.resolve("tlslens.conf");
        Files.writeString(file, conf);
        server = new TlslensServer(ConfigLoader.load(file));
        List<ConfigProblem> problems = server.start();
        assertThat(problems).as("start-up problems").isEmpty();
    }

    /** @return a terminate listener object for HOCON */
    public static String listener(String name, int port, Path cert, int backendPort, String extraTls, String extra) {
        String key = cert.toString().replaceAll("\\.pem$", ".key");
        return "{ name = " + name + ", bind = \"127.0.0.1:" + port + "\", mode = terminate, " + extra
                + " tls { certificates = [ { cert = \"" + cert + "\", key = \"" + key + "\" } ], " + extraTls + " }, "
                + "backend { address = \"127.0.0.1:" + backendPort + "\" } }";
    }

    /** @return the /metrics text */
    public String metrics() throws Exception {
        return get("/metrics").body();
    }

    /** @return the admin base URL, {@code http://127.0.0.1:PORT} */
    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * @param name   metric sample name, e.g. {@code tlslens_handshake_failures_total}
     * @param labels labels that must match (others are ignored)
     * @return the sum of the matching samples' values
     */
    public double value(String name, Map<String, String> labels) throws Exception {
        double sum = 0;
        for (String line : metrics().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = new java.util.HashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    have.put(l.group(1), l.group(2));
                }
            }
            if (have.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(m.group(4));
            }
        }
        return sum;
    }

    /** Waits (up to 15 s) for a failure with this cause on listener, then returns its log event. */
    public JsonNode awaitFailure(String listener, String cause) throws Exception {
        await(() -> !log.withCause(cause).isEmpty(), "a log line with cause " + cause);
        double n = value("tlslens_handshake_failures_total", Map.of("listener", listener, "cause", cause));
        assertThat(n).as("tlslens_handshake_failures_total{listener=%s,cause=%s}", listener, cause).isGreaterThanOrEqualTo(1);
        return log.withCause(cause).get(0);
    }

    /**
     * Waits (up to 15 s) for a backend connect failure with this cause on listener, checks its counter, then
     * returns its log event (leg backend).
     */
    public JsonNode awaitConnectFailure(String listener, String cause) throws Exception {
        await(() -> !log.withCause(cause).isEmpty(), "a log line with cause " + cause);
        double n = value("tlslens_backend_connect_failures_total", Map.of("listener", listener, "cause", cause));
        assertThat(n).as("tlslens_backend_connect_failures_total{listener=%s,cause=%s}", listener, cause).isGreaterThanOrEqualTo(1);
        return log.withCause(cause).get(0);
    }

    /** Waits until something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static void awaitListening(int port) throws InterruptedException {
        await(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (Exception e) {
                return false;
            }
        }, "a backend listening on " + port);
    }

    /** Polls a condition until it holds, at most 15 s; fails with {@code what} otherwise. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The outcome of a peer process. */
    public record Run(int exit, String stdout, String stderr) {
        String all() {
            return stdout + "\n" + stderr;
        }
    }

    /**
     * Runs a peer process with stdin closed (or given), killing it after 20 s.
     *
     * @param cmd the command line
     * @return its exit code and output
     */
    public static Run run(List<String> cmd) throws Exception {
        return run(cmd, "");
    }

    public static Run run(List<String> cmd, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var outF = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(out));
        var errF = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(err));
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Run(p.waitFor(), outF.get(), errF.get());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        log.close();
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }
}
