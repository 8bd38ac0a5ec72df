package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page ({@code GET /}) as a browser renders it: real failures made by openssl and curl against a
 * running tlslens, then headless Chromium's {@code --dump-dom} of the page, asserted on the rendered DOM.
 * Chromium is required (Debian package {@code chromium}, which .ci/run installs); without it this test fails.
 * With {@code -Dtlslens.screenshot=FILE} the first test also saves a screenshot of the page there.
 */
class AdminPageIT {
    /** A server_name a hostile client may send; the page must show it as text. */
    static final String SCRIPT_SNI = "<script>alert(1)</script>";
    static final String ESCAPED_SNI = "&lt;script&gt;alert(1)&lt;/script&gt;";
    private static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    TestPki pki;
    HttpServer backend;
    ProxyHarness proxy;
    int web;
    int api;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("tlslens-admin-it");
        pki = new TestPki(dir);
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", ex -> {
            byte[] body = "hello from backend\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        backend.start();
        proxy = new ProxyHarness(dir);
        web = ProxyHarness.freePort();
        api = ProxyHarness.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        backend.stop(0);
    }

    private void startProxy(String topLevel) throws Exception {
        int be = backend.getAddress().getPort();
        Path good = pki.files("good", pki.leaf("localhost", "127.0.0.1"), pki.intermediate.cert());
        Path leafOnly = pki.files("leafonly", pki.leaf("localhost"));
        proxy.startWith(topLevel,
                ProxyHarness.listener("web", web, good, be, "", ""),
                ProxyHarness.listener("api", api, leafOnly, be, "policy = modern", ""));
    }

    @Test
    void pageShowsListenersCertificatesFailuresAndCompatibility() throws Exception {
        String chromium = chromium();
        startProxy("");
        String root = dir.resolve("root.pem").toString();
        // a success, so that the web listener has a handshake and the compatibility view a client that is fine
        var ok = ProxyHarness.run(curl(web, "--cacert", root));
        assertThat(ok.exit()).as(ok.all()).isZero();
        // protocol_version_mismatch, from a client that also sends a hostile server_name
        var old = ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + web,
                "-servername", SCRIPT_SNI, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"));
        assertThat(old.exit()).as(old.all()).isNotZero();
        // certificate_hostname_mismatch: the handshake completes, the client closes; the summary quotes the SNI
        ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + web, "-servername", SCRIPT_SNI));
        // certificate_untrusted: curl does not know the test root
        var untrusted = ProxyHarness.run(curl(web));
        assertThat(untrusted.exit()).as(untrusted.all()).isNotZero();
        // certificate_chain_incomplete: the api listener serves its leaf without the intermediate
        var incomplete = ProxyHarness.run(curl(api, "--cacert", root));
        assertThat(incomplete.exit()).as(incomplete.all()).isNotZero();
        proxy.awaitFailure("web", "protocol_version_mismatch");
        proxy.awaitFailure("web", "certificate_hostname_mismatch");
        proxy.awaitFailure("web", "certificate_untrusted");
        proxy.awaitFailure("api", "certificate_chain_incomplete");

        String dom = dumpDom(chromium, "/");

        // the page rendered, and its listener rows carry mode, addresses, policy and counts
        assertThat(dom).contains("<title>tlslens admin</title>");
        String webRow = row(dom, "web");
        assertThat(cells(webRow)).startsWith("web", "terminate", "127.0.0.1:" + web + " → 127.0.0.1:"
                + backend.getAddress().getPort(), "intermediate (TLS 1.2–1.3)");
        assertThat(cell(webRow, "handshakes")).isEqualTo("1");
        assertThat(Integer.parseInt(cell(webRow, "failures"))).isEqualTo(3);
        assertThat(cell(webRow, "recent")).isEqualTo("3");
        String apiRow = row(dom, "api");
        assertThat(cells(apiRow)).contains("api", "terminate", "modern (TLS 1.3)");
        assertThat(cell(apiRow, "failures")).isEqualTo("1");
        assertThat(cell(apiRow, "cause")).isEqualTo("certificate_chain_incomplete (1)");

        // served certificates: subject, SANs, issuer, days left, and the chain problems from the analysis
        String webChain = between(dom, "<div class=\"chain\" data-listener=\"web\">", "</div>");
        assertThat(webChain).contains("CN=localhost", "DNS:localhost, IP:127.0.0.1", "CN=tlslens Test Intermediate",
                "untrusted_root", "certificate_untrusted");
        assertThat(webChain).containsPattern("<td class=\"num\">(88|89)</td>");
        String apiChain = between(dom, "<div class=\"chain\" data-listener=\"api\">", "</div>");
        assertThat(apiChain).contains("chain_incomplete", "chain stops at issuer 'CN=tlslens Test Intermediate'");

        // failures by cause, from the counters
        for (String cause : List.of("protocol_version_mismatch", "certificate_hostname_mismatch", "certificate_untrusted",
                "certificate_chain_incomplete")) {
            assertThat(dom).as("cause row %s", cause).contains("<tr class=\"cause-row\" data-cause=\"" + cause + "\">");
        }

        // the recent failures, newest first, each expandable to its fix, alert, ClientHello and evidence
        List<String> failures = all(dom, "<details class=\"failure\"[^>]*>.*?</details>");
        assertThat(failures).hasSize(4);
        List<Instant> times = failures.stream().map(f -> Instant.parse(first(f, "datetime=\"[^\"]+\"")
                .replaceAll("^datetime=\"|\"$", ""))).toList();
        assertThat(times).as("newest first").isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(failures.get(0)).as("the newest is open").containsPattern("^<details [^>]*\\bopen\\b");
        String mismatch = failures.stream().filter(f -> f.contains("data-cause=\"protocol_version_mismatch\""))
                .findFirst().orElseThrow();
        assertThat(mismatch).contains("<h4>Fix</h4>", "<dt>alert</dt><dd>protocol_version (70, fatal)</dd>",
                "<dt>alert sender</dt><dd>proxy</dd>", "<dt>server_name</dt><dd>" + ESCAPED_SNI + "</dd>",
                "<li>TLS 1.1</li>", "<dt>ja3</dt>", "<dt>cipher_suites</dt>", "<dt>groups</dt>", "<dt>alpn</dt>",
                "<h4>Evidence</h4>");
        assertThat(mismatch).containsPattern("<dt>ja4</dt><dd>t11d[0-9a-f_]+</dd>");
        assertThat(mismatch).contains("<span class=\"sni\">SNI <code>" + ESCAPED_SNI + "</code></span>");

        // a hostile SNI is text: escaped in the DOM, and no script element anywhere (the page has none of its own)
        String hostname = failures.stream().filter(f -> f.contains("data-cause=\"certificate_hostname_mismatch\""))
                .findFirst().orElseThrow();
        assertThat(hostname).contains("SNI '" + ESCAPED_SNI + "' is not covered by SANs");
        assertThat(dom).doesNotContain(SCRIPT_SNI);
        assertThat(dom.toLowerCase()).doesNotContain("<script");

        // compatibility: for each named policy, which of the clients seen would fail and why
        String compat = between(dom, "<section id=\"compatibility\">", "</section>");
        for (String policy : List.of("modern", "intermediate", "old")) {
            assertThat(compat).contains("data-policy=\"" + policy + "\"");
        }
        String intermediate = between(compat, "data-policy=\"intermediate\"", "</details>");
        assertThat(intermediate).contains("<tr class=\"compat-row\" data-verdict=\"protocol_version_mismatch\">");
        assertThat(between(compat, "data-policy=\"old\"", "</details>")).contains("every client seen would connect");

        // the JSON twin of the certificates section, and the other endpoints unchanged
        JsonNode certs = JSON.readTree(proxy.get("/debug/certificates").body());
        JsonNode webCerts = certs.path("listeners").get(0);
        assertThat(webCerts.path("listener").asText()).isEqualTo("web");
        assertThat(webCerts.at("/served/0/certificates/0/subject").asText()).isEqualTo("CN=localhost");
        assertThat(webCerts.at("/served/0/certificates/1/role").asText()).isEqualTo("intermediate");
        assertThat(webCerts.at("/served/0/problems/0/problem").asText()).isEqualTo("untrusted_root");
        assertThat(certs.at("/listeners/1/served/0/complete").asBoolean()).isFalse();
        assertThat(proxy.get("/debug/handshakes").body()).contains("\"cause\":\"certificate_chain_incomplete\"");
        assertThat(proxy.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(proxy.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(proxy.metrics()).contains("tlslens_handshake_failures_total{");
        var page = proxy.get("/");
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy")).hasValueSatisfying(
                v -> assertThat(v).startsWith("default-src 'none'"));

        String shot = System.getProperty("tlslens.screenshot");
        if (shot != null && !shot.isBlank()) {
            screenshot(chromium, "/", Path.of(shot).toAbsolutePath());
        }
    }

    @Test
    void withDebugEndpointsOffThePageShowsCountersOnly() throws Exception {
        String chromium = chromium();
        startProxy("admin { debug-endpoints = false }");
        var old = ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + web,
                "-servername", SCRIPT_SNI, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"));
        assertThat(old.exit()).as(old.all()).isNotZero();
        proxy.awaitFailure("web", "protocol_version_mismatch");

        String dom = dumpDom(chromium, "/");

        String webRow = row(dom, "web");
        assertThat(cells(webRow)).startsWith("web", "terminate");
        assertThat(cell(webRow, "failures")).isEqualTo("1");
        assertThat(cell(webRow, "cause")).isEqualTo("protocol_version_mismatch (1)");
        assertThat(dom).contains("<tr class=\"cause-row\" data-cause=\"protocol_version_mismatch\">");
        assertThat(dom).contains("id=\"debug-off\"");
        // no failure details, no ClientHello (so no SNI in any form), no certificates, no compatibility
        assertThat(dom).doesNotContain("<details", "id=\"failures\"", "id=\"certificates\"", "id=\"compatibility\"",
                "alert(1)", "ClientHello</h4>", "127.0.0.1:" + backend.getAddress().getPort(), "CN=localhost");
        assertThat(proxy.get("/debug/certificates").statusCode()).isEqualTo(404);
        assertThat(proxy.get("/debug/handshakes").statusCode()).isEqualTo(404);
    }

    private static List<String> curl(int port, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--resolve",
                "localhost:" + port + ":127.0.0.1"));
        cmd.addAll(List.of(extra));
        cmd.add("https://localhost:" + port + "/");
        return cmd;
    }

    /** @return the listener's table row */
    private static String row(String dom, String listener) {
        return first(dom, "<tr class=\"listener\" id=\"listener-" + listener + "\"[^>]*>.*?</tr>");
    }

    /** @return the text of every cell of a row, tags removed */
    private static List<String> cells(String row) {
        return all(row, "<td[^>]*>(.*?)</td>").stream()
                .map(c -> c.replaceAll("<br>", " ").replaceAll("<[^>]+>", "").replaceAll("^<td[^>]*>", "").trim())
                .map(c -> c.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&"))
                .toList();
    }

    /** @return the text of the row's cell with this class */
    private static String cell(String row, String cls) {
        Matcher m = Pattern.compile("<td class=\"[^\"]*\\b" + cls + "\\b[^\"]*\">(.*?)</td>").matcher(row);
        assertThat(m.find()).as("cell %s in %s", cls, row).isTrue();
        return m.group(1).replaceAll("<[^>]+>", "").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&").trim();
    }

    private static String between(String s, String start, String end) {
        int i = s.indexOf(start);
        assertThat(i).as("'%s' in the page", start).isGreaterThanOrEqualTo(0);
        int j = s.indexOf(end, i + start.length());
        assertThat(j).as("'%s' after '%s'", end, start).isGreaterThan(i);
        return s.substring(i, j + end.length());
    }

    private static String first(String s, String regex) {
        List<String> found = all(s, regex);
        assertThat(found).as("%s in the page", regex).isNotEmpty();
        return found.get(0);
    }

    private static List<String> all(String s, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(s);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(0));
        }
        return out;
    }

    /** @return the Chromium binary: $CHROMIUM, else chromium or chromium-browser on the PATH; fails when there is none */
    static String chromium() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            if (!Files.isExecutable(Path.of(env))) {
                throw new AssertionError("CHROMIUM=" + env + " is not an executable file; AdminPageIT needs headless "
                        + "Chromium to render the admin page");
            }
            return env;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        throw new AssertionError("AdminPageIT needs headless Chromium to render the admin page, and none was found "
                + "(looked for $CHROMIUM, then chromium and chromium-browser on the PATH). Install it with "
                + "`apt-get install -y --no-install-recommends chromium` (.ci/run does) or point CHROMIUM at the binary.");
    }

    /** @return the DOM Chromium rendered for the admin page at {@code path} */
    private String dumpDom(String chromium, String path) throws Exception {
        var r = runChromium(chromium, "--dump-dom", "http://127.0.0.1:" + proxy.adminPort + path);
        assertThat(r.exit()).as("chromium --dump-dom exit code; stderr:\n%s", r.stderr()).isZero();
        assertThat(r.stdout()).as("chromium --dump-dom output; stderr:\n%s", r.stderr()).contains("</html>");
        return r.stdout();
    }

    private void screenshot(String chromium, String path, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        var r = runChromium(chromium, "--screenshot=" + file, "--window-size=1280,1600", "--hide-scrollbars",
                "http://127.0.0.1:" + proxy.adminPort + path);
        assertThat(r.exit()).as("chromium --screenshot; stderr:\n%s", r.stderr()).isZero();
        assertThat(file).exists();
    }

    /** Runs headless Chromium as the brief for CI says (root, no sandbox, a fresh profile), at most 90 s. */
    private static ProxyHarness.Run runChromium(String chromium, String... args) throws Exception {
        Path profile = Files.createTempDirectory("tlslens-chromium");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("chromium did not finish within 90 s: " + cmd);
            }
            return new ProxyHarness.Run(p.exitValue(), out.get(), err.get());
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
