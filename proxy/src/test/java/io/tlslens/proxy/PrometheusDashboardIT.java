package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example dashboard and alert rules against a real Prometheus (Debian package {@code prometheus},
 * {@code /usr/bin/prometheus}) scraping a running tlslens every second while real clients make successful
 * (curl through to a backend) and failing (openssl {@code -tls1_1}, plain HTTP, a listener whose backend is
 * down) handshakes. Then every PromQL expression of {@code examples/grafana/tlslens-dashboard.json} (each
 * panel target's {@code expr}, and the {@code label_values} metric of each query variable) and of
 * {@code examples/prometheus/tlslens-alerts.yml} (each rule's {@code expr}) is sent to {@code /api/v1/query}:
 * it must parse ({@code status} success) and return data (a non-empty result).
 *
 * <p>Grafana variables are substituted as Grafana would send them: {@code $listener} by the multi-value
 * regex {@code (web|nobackend)}, {@code $__rate_interval} by {@code 1m}, {@code $__interval} by {@code 15s},
 * {@code $__range} by {@code 1h}; an expression still holding a {@code $} after that is a failure.
 *
 * <p>Alert expressions end with a threshold that may legitimately select nothing (no certificate here
 * expires within 7 days). Rule used to strip it: if the full expression returns no data, its trailing
 * top-level comparison against a number ({@code <op> [bool] <number or number arithmetic>}, op one of
 * {@code == != >= <= > <}, the text before it having balanced parentheses) is removed, and this is repeated
 * until the expression returns data or no such comparison is left. The full expression and every stripped
 * form must parse; the last form must return data. Each stripping is reported on stdout.
 */
class PrometheusDashboardIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRAILING_COMPARISON = Pattern.compile(
            "(?s)^(.*\\S)\\s*(==|!=|>=|<=|>|<)\\s*(?:bool\\s+)?[0-9][0-9.eE+]*(?:\\s*[-+*/]\\s*[0-9][0-9.eE+]*)*\\s*$");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$");
    private static final Map<String, String> GRAFANA_VARIABLES = new LinkedHashMap<>();

    static {
        GRAFANA_VARIABLES.put("${job}", "tlslens");
        GRAFANA_VARIABLES.put("$job", "tlslens");
        GRAFANA_VARIABLES.put("${instance}", ".*");
        GRAFANA_VARIABLES.put("$instance", ".*");
        GRAFANA_VARIABLES.put("${listener}", "(web|nobackend)");
        GRAFANA_VARIABLES.put("$listener", "(web|nobackend)");
        GRAFANA_VARIABLES.put("$__rate_interval", "1m");
        GRAFANA_VARIABLES.put("$__interval", "15s");
        GRAFANA_VARIABLES.put("$__range", "1h");
    }

    @TempDir
    Path dir;

    private int promPort;

    @Test
    void everyDashboardAndAlertExpressionParsesAndReturnsData() throws Exception {
        assertThat(Files.isExecutable(PROMETHEUS))
                .as("%s is missing: install the Debian package 'prometheus' (apt-get install prometheus; .ci/run does)",
                        PROMETHEUS)
                .isTrue();
        Path examples = examplesDir();

        TestPki pki = new TestPki(dir);
        Instant now = Instant.now();
        // 20 days left: the 30-day warning's expression selects it with its threshold in place.
        Path cert = pki.files("web", pki.leaf(List.of("localhost", "127.0.0.1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(20))), pki.intermediate.cert());
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", ex -> {
            byte[] body = "hello from backend\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        int web = ProxyHarness.freePort();
        int nobackend = ProxyHarness.freePort();
        Process prometheus = null;
        Path promLog = dir.resolve("prometheus.log");
        try (ProxyHarness proxy = new ProxyHarness(dir)) {
            proxy.start(ProxyHarness.listener("web", web, cert, backend.getAddress().getPort(), "", ""),
                    ProxyHarness.listener("nobackend", nobackend, cert, ProxyHarness.freePort(), "", ""));

            promPort = ProxyHarness.freePort();
            Path promConfig = dir.resolve("prometheus.yml");
            Files.writeString(promConfig, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: tlslens\n    metrics_path: /metrics\n    static_configs:\n"
                    + "      - targets: [\"127.0.0.1:" + proxy.adminPort + "\"]\n");
            Path tsdb = Files.createDirectories(dir.resolve("tsdb"));
            prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + promConfig,
                    "--storage.tsdb.path=" + tsdb, "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(promLog.toFile()).start();
            Process p = prometheus;
            awaitQuery("up{job=\"tlslens\"} == 1", p, promLog);

            // Traffic in rounds, a few scrapes apart, so counters move between samples and rates are not all 0.
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 3; i++) {
                    var ok = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "10", "--cacert",
                            dir.resolve("root.pem").toString(), "--resolve", "localhost:" + web + ":127.0.0.1",
                            "https://localhost:" + web + "/"));
                    assertThat(ok.exit()).as(ok.all()).isZero();
                    assertThat(ok.stdout()).isEqualTo("hello from backend\n");
                }
                var old = ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + web,
                        "-servername", "localhost", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"));
                assertThat(old.exit()).as(old.all()).isNotZero();
                var plain = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + web + "/"));
                assertThat(plain.all()).contains("use https://");
                var down = ProxyHarness.run(List.of("curl", "-sS", "--max-time", "10", "--cacert",
                        dir.resolve("root.pem").toString(), "--resolve", "localhost:" + nobackend + ":127.0.0.1",
                        "https://localhost:" + nobackend + "/"));
                assertThat(down.exit()).as(down.all()).isNotZero();
                Thread.sleep(2500);
            }
            // Prometheus has caught up with tlslens' final counts.
            ProxyHarness.await(() -> proxy.log.events().size() >= 6, "six failures logged");
            double handshakes = proxy.value("tlslens_handshakes_total", Map.of("listener", "web"));
            double failures = proxy.value("tlslens_handshake_failures_total", Map.of("listener", "web"));
            double connectFailures = proxy.value("tlslens_backend_connect_failures_total", Map.of("listener", "nobackend"));
            assertThat(handshakes).isGreaterThanOrEqualTo(9);
            assertThat(failures).isGreaterThanOrEqualTo(6);
            assertThat(connectFailures).isGreaterThanOrEqualTo(3);
            awaitQuery("sum(tlslens_handshakes_total{listener=\"web\"}) >= " + handshakes, p, promLog);
            awaitQuery("sum(tlslens_handshake_failures_total{listener=\"web\"}) >= " + failures, p, promLog);
            awaitQuery("sum(tlslens_backend_connect_failures_total{listener=\"nobackend\"}) >= " + connectFailures, p, promLog);

            List<String> problems = new ArrayList<>();
            int checked = 0;
            JsonNode dashboard = JSON.readTree(examples.resolve("grafana/tlslens-dashboard.json").toFile());
            for (JsonNode panel : allPanels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    String where = "dashboard panel '" + panel.path("title").asText() + "' target "
                            + target.path("refId").asText();
                    assertThat(target.hasNonNull("expr")).as(where + " has an expr").isTrue();
                    checkReturnsData(where, substitute(target.get("expr").asText(), where, problems), problems);
                    checked++;
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (!variable.path("type").asText().equals("query")) {
                    continue;
                }
                String q = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                        : variable.path("query").asText();
                String where = "dashboard variable " + variable.path("name").asText();
                Matcher m = LABEL_VALUES.matcher(q.trim());
                assertThat(m.matches()).as(where + ": label_values(metric, label) expected, got " + q).isTrue();
                JsonNode result = query(substitute(m.group(1), where, problems));
                if (!"success".equals(result.path("status").asText())) {
                    problems.add(where + ": " + m.group(1) + " does not parse: " + result);
                } else if (!hasLabel(result, m.group(2))) {
                    problems.add(where + ": no series of " + m.group(1) + " carries label " + m.group(2));
                }
                checked++;
            }
            JsonNode rules = new YAMLMapper().readTree(examples.resolve("prometheus/tlslens-alerts.yml").toFile());
            for (JsonNode group : rules.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String where = "rule " + rule.path("alert").asText(rule.path("record").asText());
                    checkReturnsData(where, rule.path("expr").asText(), problems);
                    checked++;
                }
            }
            assertThat(checked).as("expressions checked").isGreaterThanOrEqualTo(25);
            assertThat(problems).as("PromQL expressions that failed against a real Prometheus (log: %s)", promLog)
                    .isEmpty();
        } finally {
            backend.stop(0);
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(15, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Runs {@code expr}; if it selects nothing, strips trailing threshold comparisons (class comment) until it does. */
    private void checkReturnsData(String where, String expr, List<String> problems) throws Exception {
        if (expr == null) {
            return;
        }
        String current = expr.trim();
        while (true) {
            JsonNode r = query(current);
            if (!"success".equals(r.path("status").asText())) {
                problems.add(where + ": does not parse or fails: " + current + " → " + r);
                return;
            }
            if (!r.path("data").path("result").isEmpty()) {
                if (!current.equals(expr.trim())) {
                    System.out.println(where + ": returns data without its threshold: " + current);
                }
                return;
            }
            Matcher m = TRAILING_COMPARISON.matcher(current);
            if (!m.matches() || !balanced(m.group(1))) {
                problems.add(where + ": returns no data: " + current);
                return;
            }
            current = m.group(1).trim();
        }
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static String substitute(String expr, String where, List<String> problems) {
        String out = expr;
        for (var e : GRAFANA_VARIABLES.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        if (out.contains("$")) {
            problems.add(where + ": unknown Grafana variable left in " + out);
        }
        return out;
    }

    private static List<JsonNode> allPanels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add); // panels inside collapsed rows
        }
        return out;
    }

    private static boolean hasLabel(JsonNode result, String label) {
        for (JsonNode s : result.path("data").path("result")) {
            if (s.path("metric").hasNonNull(label)) {
                return true;
            }
        }
        return false;
    }

    private JsonNode query(String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort
                        + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** Waits (up to 30 s) until {@code promql} returns data. */
    private void awaitQuery(String promql, Process prometheus, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited with " + prometheus.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (!query(promql).path("data").path("result").isEmpty()) {
                    return;
                }
            } catch (java.io.IOException notYetListening) {
                // starting up
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for Prometheus to return data for " + promql
                        + "\nprometheus log:\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    /** @return the repository's examples/ directory (failsafe runs in proxy/) */
    static Path examplesDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/prometheus"))) {
                return p.resolve("examples");
            }
        }
        throw new AssertionError("examples/ not found above " + Path.of("").toAbsolutePath());
    }
}
