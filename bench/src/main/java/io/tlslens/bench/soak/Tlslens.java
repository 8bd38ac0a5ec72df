package io.tlslens.bench.soak;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tlslens as the soak runs it: {@code java -XX:+UseSerialGC -jar tlslens.jar --config FILE} in its own
 * process (stopped with SIGTERM at the end, killed if the soak exits otherwise), stdout and stderr into
 * one log file, admin on a free loopback port. Reads /metrics, its open
 * descriptors (/proc/PID/fd), its heap after a full GC (jcmd) and the stack traces in its log.
 */
final class Tlslens implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern STACK = Pattern.compile("\"stack_trace\"|^\\s+at [\\w$.<>]+\\(|^Caused by: |^Exception in thread");
    private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    final Path log;
    final int adminPort;
    private final Process process;

    private Tlslens(Process process, Path log, int adminPort) {
        this.process = process;
        this.log = log;
        this.adminPort = adminPort;
    }

    /**
     * Writes the configuration, starts tlslens and waits until /readyz answers 200 (at most 60 s).
     *
     * @param listeners HOCON listener objects
     */
    static Tlslens start(Path jar, Path dir, List<String> listeners) throws Exception {
        int admin = freePort();
        Path conf = dir.resolve("tlslens.conf");
        Files.writeString(conf, "tlslens {\n  admin { bind = \"127.0.0.1:" + admin + "\" }\n  drain-timeout = 1s\n"
                + "  listeners = [\n    " + String.join(",\n    ", listeners) + "\n  ]\n}\n");
        Path log = dir.resolve("tlslens.log");
        Process p = new ProcessBuilder("java", "-XX:+UseSerialGC", "-jar", jar.toString(), "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Tlslens t = new Tlslens(p, log, admin);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly)); // never outlive the soak
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("tlslens exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (t.get("/readyz").statusCode() == 200) {
                    return t;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("tlslens not ready after 60 s: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws Exception {
        return get("/metrics").body();
    }

    /** @return the sum of the samples of {@code name} whose labels include every {@code name="value"} given */
    double sum(String name, String... labels) throws Exception {
        return sum(metrics(), name, labels);
    }

    static double sum(String metrics, String name, String... labels) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && m.group(1).equals(name) && hasAll(m.group(3), labels)) {
                total += Double.parseDouble(m.group(4));
            }
        }
        return total;
    }

    private static boolean hasAll(String have, String... labels) {
        for (String l : labels) {
            if (have == null || !("," + have + ",").contains("," + l + ",")) {
                return false;
            }
        }
        return true;
    }

    /** @return the series of /metrics (lines not starting with #, without their values) */
    TreeSet<String> series() throws Exception {
        TreeSet<String> s = new TreeSet<>();
        for (String line : metrics().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                s.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        return s;
    }

    /** @return the per-cause counts of tlslens_handshake_failures_total */
    Map<String, Double> failuresByCause() throws Exception {
        Map<String, Double> m = new java.util.TreeMap<>();
        Pattern cause = Pattern.compile("cause=\"([^\"]*)\"");
        for (String line : metrics().split("\n")) {
            Matcher s = SAMPLE.matcher(line);
            if (s.matches() && s.group(1).equals("tlslens_handshake_failures_total")) {
                Matcher c = cause.matcher(s.group(3));
                if (c.find()) {
                    m.merge(c.group(1), Double.parseDouble(s.group(4)), Double::sum);
                }
            }
        }
        return m;
    }

    /** @return the number of open file descriptors of the tlslens process */
    int fds() throws IOException {
        try (var l = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
            return (int) l.count();
        }
    }

    /** Runs a full GC ({@code jcmd PID GC.run}) and @return the heap used after it, in bytes (GC.heap_info) */
    long heapAfterGc() throws Exception {
        jcmd("GC.run");
        long kb = 0;
        Matcher m = USED.matcher(jcmd("GC.heap_info"));
        while (m.find()) {
            kb += Long.parseLong(m.group(1));
        }
        return kb * 1024;
    }

    private String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", String.valueOf(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + command + ": " + out);
        }
        return out;
    }

    /** @return the current length of the log, to read what comes after it */
    long logMark() throws IOException {
        return Files.size(log);
    }

    /** @return the log lines written since {@code mark} that show a stack trace (JSON stack_trace, "at …" frames) */
    List<String> stackTracesSince(long mark) throws IOException {
        List<String> hits = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            f.seek(mark);
            byte[] rest = new byte[(int) Math.min(Integer.MAX_VALUE - 8, f.length() - mark)];
            f.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                if (STACK.matcher(line).find()) {
                    hits.add(line);
                }
            }
        }
        return hits;
    }

    /**
     * Polls until {@code condition} holds or {@code seconds} pass.
     *
     * @return whether it held
     */
    static boolean await(Supplier<Boolean> condition, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.get()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
