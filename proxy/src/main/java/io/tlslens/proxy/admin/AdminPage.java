package io.tlslens.proxy.admin;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.policy.KeyType;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.proxy.telemetry.BuildInfo;
import io.tlslens.proxy.telemetry.ListenerView;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import io.tlslens.proxy.telemetry.RecentFailures.Recent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /}: the operator's view, one server-rendered HTML page with no script. Listeners with their
 * settings and served certificates, handshakes and failures per listener and by cause, the recent failures
 * (each a {@code <details>} with its fix, alert, decoded ClientHello and evidence) and, for the named
 * policies, which of the clients seen would fail. The same data as {@code /metrics} and {@code /debug/*};
 * with {@code admin.debug-endpoints = false} only the counters. Every value goes through {@link Html}, so
 * anything a client sent is shown as text.
 */
final class AdminPage {
    /** The policies the compatibility section judges the clients seen against. */
    static final List<String> POLICIES = List.of("modern", "intermediate", "old");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String CSS = resource("admin.css");
    /** Event fields shown in their own place in a failure's details; any other field is listed at the end. */
    private static final Set<String> PLACED = Set.of("listener", "leg", "mode", "connection_id", "client_address",
            "backend_address", "duration_ms", "cause", "summary", "hints", "alert", "engine_error", "client_hello",
            "negotiated", "certificate", "evidence");
    /** ClientHello fields in the order an on-call engineer reads them; any other field follows. */
    private static final List<String> HELLO_ORDER = List.of("server_name", "versions", "alpn", "ja4", "ja3",
            "cipher_suites", "groups", "key_share_groups", "signature_schemes", "extensions", "legacy_version",
            "record_version");

    private final ProxyMetrics metrics;
    private final Supplier<List<Recent>> recentFailures;
    private final int recentCapacity;
    private final List<ListenerView> listeners;
    private final ClientHelloAggregate seenClients;
    private final BooleanSupplier ready;
    private final boolean debug;
    private final Instant started = Instant.now();
    private final BuildInfo build = BuildInfo.load();

    /**
     * @param metrics        the registry: every count on the page comes from it
     * @param recentFailures the recent failures with their times, newest first
     * @param recentCapacity how many recent failures are kept at most
     * @param listeners      the listeners, in configuration order
     * @param seenClients    the ClientHellos seen, for the compatibility section
     * @param ready          whether every listener is bound and not draining
     * @param debug          {@code admin.debug-endpoints}: false shows the counters only
     */
    AdminPage(ProxyMetrics metrics, Supplier<List<Recent>> recentFailures, int recentCapacity,
              List<ListenerView> listeners, ClientHelloAggregate seenClients, BooleanSupplier ready, boolean debug) {
        this.metrics = metrics;
        this.recentFailures = recentFailures;
        this.recentCapacity = recentCapacity;
        this.listeners = List.copyOf(listeners);
        this.seenClients = seenClients;
        this.ready = ready;
        this.debug = debug;
    }

    /**
     * @param keyName the {@code key} query parameter ({@code RSA}/{@code ECDSA}), already validated, or null for
     *                the key type of the first served certificate
     * @param now     the time the page is made at (the 5-minute window, days left)
     * @return the page
     */
    String render(String keyName, Instant now) {
        Counts counts = new Counts(now);
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .raw("<title>tlslens admin</title><style>").raw(CSS).raw("</style></head><body>\n");
        header(h, now);
        overview(h, counts);
        listenerTable(h, counts);
        if (debug) {
            certificates(h, now);
        }
        causes(h, counts);
        if (debug) {
            recentFailures(h, counts, now);
            compatibility(h, keyName);
        } else {
            h.raw("<p class=\"note\" id=\"debug-off\">").text("admin.debug-endpoints = false: counters only. "
                    + "Certificates, the recent failures with their ClientHellos and the compatibility view are not shown.")
                    .raw("</p>\n");
        }
        h.raw("</body></html>\n");
        return h.toString();
    }

    private void header(Html h, Instant now) {
        h.raw("<header><h1>tlslens</h1><p class=\"meta\">");
        h.text("version " + build.version() + " (" + build.revision() + ")").raw(" · ");
        boolean ok = ready.getAsBoolean();
        h.raw("<span").attr("class", ok ? "ready" : "unready").raw(">").text(ok ? "ready" : "not ready").raw("</span> · ");
        h.text("counts since start " + TIME.format(started) + " (" + span(Duration.between(started, now)) + " ago)")
                .raw(" · ").text("page made " + TIME.format(now)).raw("</p>\n<nav>");
        link(h, "/metrics", "/metrics");
        if (debug) {
            link(h, "/debug/handshakes", "/debug/handshakes");
            link(h, "/debug/certificates", "/debug/certificates");
            link(h, "/debug/compatibility?policy=intermediate", "/debug/compatibility?policy=intermediate");
        }
        link(h, "/readyz", "/readyz");
        h.raw("</nav></header>\n");
    }

    private static void link(Html h, String href, String text) {
        h.raw("<a").attr("href", href).raw(">").text(text).raw("</a> ");
    }

    private void overview(Html h, Counts c) {
        h.raw("<section id=\"overview\" class=\"cards\">");
        card(h, "handshakes", fmt(c.total(c.handshakes)), "completed");
        card(h, c.total(c.failures) > 0 ? "failures bad" : "failures", fmt(c.total(c.failures)), "failed handshakes");
        if (debug) {
            card(h, c.recentTotal() > 0 ? "recent bad" : "recent", c.recentText(null), "failed in the last 5 minutes");
        }
        card(h, "active", fmt(c.total(c.active)), "open connections");
        h.raw("</section>\n");
    }

    private static void card(Html h, String cls, String value, String label) {
        h.raw("<div").attr("class", "card " + cls).raw(">").el("b", value).el("span", label).raw("</div>");
    }

    private void listenerTable(Html h, Counts c) {
        h.raw("<section id=\"listeners\"><h2>Listeners</h2><table class=\"listeners\"><thead><tr>");
        List<String> heads = debug
                ? List.of("listener", "mode", "bind → backend", "policy", "active", "connections", "handshakes",
                "failures", "last 5 min", "empty / abandoned", "top cause")
                : List.of("listener", "mode", "active", "connections", "handshakes", "failures", "empty / abandoned",
                "top cause");
        for (String head : heads) {
            h.el("th", head);
        }
        h.raw("</tr></thead><tbody>\n");
        for (ListenerView l : listeners) {
            String n = l.name();
            h.raw("<tr class=\"listener\"").attr("id", "listener-" + n).attr("data-listener", n).raw(">");
            h.el("td", "name", n).el("td", "mode", l.mode());
            if (debug) {
                h.raw("<td class=\"addr\">").el("span", l.bind()).raw("<br>").el("span", "→ " + l.backend()).raw("</td>");
                h.raw("<td class=\"policy\">");
                policy(h, l);
                h.raw("</td>");
            }
            h.el("td", "num active", fmt(c.active.getOrDefault(n, 0.0)));
            h.el("td", "num connections", fmt(c.connections.getOrDefault(n, 0.0)));
            h.el("td", "num handshakes", legs(c.handshakes, n));
            double failed = c.failures.getOrDefault(n, Map.of()).values().stream().mapToDouble(Double::doubleValue).sum();
            h.raw("<td").attr("class", failed > 0 ? "num failures bad" : "num failures").raw(">")
                    .text(legs(c.failures, n)).raw("</td>");
            if (debug) {
                h.el("td", "num recent", c.recentText(n));
            }
            h.el("td", "num empty", fmt(c.empty.getOrDefault(n, 0.0)) + " / " + fmt(c.abandoned.getOrDefault(n, 0.0)));
            h.raw("<td class=\"cause\">").breakable(c.topCause(n)).raw("</td>");
            h.raw("</tr>\n");
        }
        h.raw("</tbody></table>");
        h.el("p", "note", "handshakes and failures: frontend leg, then backend leg when there is one (fe / be); "
                + "failures include backend connect failures; empty = closed before the first byte (scanners, TCP checks).");
        h.raw("</section>\n");
    }

    private static void policy(Html h, ListenerView l) {
        if (l.policy() != null) {
            h.el("span", "pol", describe(l.policy()));
        } else if ("passthrough".equals(l.mode())) {
            h.el("span", "pol", "end to end (the backend's)");
        } else {
            h.el("span", "pol", "frontend plain TCP");
        }
        if (l.backendPolicy() != null) {
            h.raw("<br>").el("span", "pol", "to backend: " + describe(l.backendPolicy()));
        }
        for (String s : l.settings()) {
            h.raw("<br>").el("small", s);
        }
    }

    /** @return e.g. {@code intermediate (TLS 1.2–1.3)} */
    static String describe(TlsPolicy p) {
        List<Integer> v = p.versions();
        if (v.isEmpty()) {
            return p.name();
        }
        String lo = TlsRegistry.versionName(v.get(0));
        String hi = TlsRegistry.versionName(v.get(v.size() - 1));
        return p.name() + " (" + (lo.equals(hi) ? lo : lo + "–" + hi.replace("TLS ", "")) + ")";
    }

    private static String legs(Map<String, Map<String, Double>> byListener, String listener) {
        Map<String, Double> byLeg = byListener.getOrDefault(listener, Map.of());
        double fe = byLeg.getOrDefault("frontend", 0.0);
        double be = byLeg.getOrDefault("backend", 0.0);
        return be == 0 ? fmt(fe) : fmt(fe) + " / " + fmt(be);
    }

    private void certificates(Html h, Instant now) {
        h.raw("<section id=\"certificates\"><h2>Certificates served</h2>\n");
        boolean any = false;
        for (ListenerView l : listeners) {
            List<ChainAnalysis> chains = l.servedChains();
            for (int i = 0; i < chains.size(); i++) {
                any = true;
                chain(h, l.name(), i, CertificatesView.chain(chains.get(i), now));
            }
        }
        if (!any) {
            h.el("p", "note", "No listener terminates TLS, so none serves a certificate.");
        }
        for (ListenerView l : listeners) {
            List<Map<String, Object>> seen = CertificatesView.backendSeen(metrics, l.name(), now);
            if (seen.isEmpty()) {
                continue;
            }
            h.raw("<h3>").text("Backend certificates seen by " + l.name()).raw("</h3>");
            h.raw("<table class=\"certs\"><thead><tr><th>role</th><th>subject</th><th>serial</th><th>not after</th>"
                    + "<th>days left</th></tr></thead><tbody>");
            for (Map<String, Object> c : seen) {
                h.raw("<tr>").el("td", c.get("role")).el("td", c.get("subject")).el("td", "mono", c.get("serial"))
                        .el("td", c.get("not_after"));
                days(h, (Long) c.get("days_left"));
                h.raw("</tr>");
            }
            h.raw("</tbody></table>\n");
        }
        h.raw("</section>\n");
    }

    @SuppressWarnings("unchecked")
    private static void chain(Html h, String listener, int index, Map<String, Object> chain) {
        List<Map<String, Object>> problems = (List<Map<String, Object>>) chain.get("problems");
        h.raw("<div class=\"chain\"").attr("data-listener", listener).raw("><h3>").text(listener)
                .raw(" <small>").text(index == 0 ? "default certificate" : "certificate " + (index + 1) + " (by SNI)")
                .raw("</small> ");
        if (problems.isEmpty()) {
            h.el("span", "ok", "chain complete, reaches a known trust anchor");
        } else {
            for (Map<String, Object> p : problems) {
                h.el("span", "bad", p.get("problem")).raw(" ");
            }
        }
        h.raw("</h3>");
        if (!problems.isEmpty()) {
            h.raw("<ul class=\"problems\">");
            for (Map<String, Object> p : problems) {
                h.raw("<li>").el("b", p.get("problem")).raw(": ").text(p.get("detail")).raw(" → clients report ")
                        .el("code", p.get("cause")).raw("</li>");
            }
            h.raw("</ul>");
        }
        h.raw("<table class=\"certs\"><thead><tr><th>role</th><th>subject</th><th>SANs</th><th>issuer</th>"
                + "<th>not after</th><th>days left</th><th>key</th></tr></thead><tbody>");
        for (Map<String, Object> c : (List<Map<String, Object>>) chain.get("certificates")) {
            h.raw("<tr>").el("td", c.get("role")).el("td", c.get("subject"))
                    .el("td", String.join(", ", (List<String>) c.get("san"))).el("td", c.get("issuer"))
                    .el("td", c.get("not_after"));
            days(h, (Long) c.get("days_left"));
            h.el("td", c.get("key")).raw("</tr>");
        }
        h.raw("</tbody></table></div>\n");
    }

    private static void days(Html h, long days) {
        h.raw("<td").attr("class", days < 0 ? "num bad" : days < 14 ? "num warn" : "num").raw(">")
                .text(days < 0 ? "expired" : Long.toString(days)).raw("</td>");
    }

    private void causes(Html h, Counts c) {
        h.raw("<section id=\"causes\"><h2>Failures by cause</h2>");
        if (c.causeRows.isEmpty()) {
            h.el("p", "note", "No failed handshake since start.");
        } else {
            h.raw("<table class=\"causes\"><thead><tr><th>cause</th><th>listener</th><th>leg</th><th>alert</th>"
                    + "<th>alert sender</th><th>count</th></tr></thead><tbody>");
            for (Map<String, String> r : c.causeRows) {
                h.raw("<tr class=\"cause-row\"").attr("data-cause", r.get("cause")).raw(">")
                        .el("td", "cause", r.get("cause")).el("td", r.get("listener")).el("td", r.get("leg"))
                        .el("td", r.get("alert")).el("td", r.get("alert_sender")).el("td", "num", r.get("count"))
                        .raw("</tr>");
            }
            h.raw("</tbody></table>");
        }
        h.raw("</section>\n");
    }

    private void recentFailures(Html h, Counts c, Instant now) {
        List<Recent> recent = c.recent;
        h.raw("<section id=\"failures\"><h2>Recent failures</h2>");
        h.el("p", "note", recent.isEmpty() ? "None kept."
                : "The last " + recent.size() + " (at most " + recentCapacity
                + " are kept), newest first; open one for its fix, alert, ClientHello and evidence.");
        for (int i = 0; i < recent.size(); i++) {
            failure(h, recent.get(i), i == 0, now);
        }
        h.raw("</section>\n");
    }

    /** One failure as a {@code <details>}; the newest is open. */
    private void failure(Html h, Recent r, boolean open, Instant now) {
        Map<String, Object> e = r.event();
        Map<?, ?> hello = e.get("client_hello") instanceof Map<?, ?> m ? m : null;
        Map<?, ?> alert = e.get("alert") instanceof Map<?, ?> m ? m : null;
        h.raw("<details class=\"failure\"").attr("data-cause", e.get("cause")).attr("data-listener", e.get("listener"))
                .raw(open ? " open><summary>" : "><summary>");
        h.raw("<time").attr("datetime", r.at().truncatedTo(ChronoUnit.MILLIS)).attr("title", TIME.format(r.at()) + ", "
                + span(Duration.between(r.at(), now)) + " ago").raw(">").text(CLOCK.format(r.at())).raw("</time> ");
        h.el("span", "cause", e.get("cause")).raw(" ");
        h.el("span", "where", e.get("listener") + " · " + e.get("leg")).raw(" ");
        h.el("span", "client", e.get("client_address")).raw(" ");
        if (hello != null && hello.get("server_name") != null) {
            h.raw("<span class=\"sni\">SNI ").el("code", hello.get("server_name")).raw("</span> ");
        }
        h.el("span", "text", e.get("summary"));
        h.raw("</summary><div class=\"body\">");
        h.el("p", "summary", e.get("summary"));
        if (e.get("hints") instanceof List<?> hints && !hints.isEmpty()) {
            h.el("h4", "Fix").raw("<ul class=\"hints\">");
            for (Object hint : hints) {
                h.el("li", hint);
            }
            h.raw("</ul>");
        }
        h.raw("<div class=\"cols\"><div>").el("h4", "Alert and connection").raw("<dl>");
        if (alert != null) {
            Object desc = alert.get("description");
            dt(h, "alert", "none".equals(desc) ? "none" : desc + " (" + alert.get("code") + ", " + alert.get("level") + ")");
            dt(h, "alert sender", alert.get("sender"));
        }
        dt(h, "engine error", blank(e.get("engine_error")));
        dt(h, "listener", e.get("listener") + " (" + e.get("mode") + "), leg " + e.get("leg"));
        dt(h, "connection", e.get("connection_id"));
        dt(h, "client", e.get("client_address"));
        dt(h, "backend", e.get("backend_address"));
        dt(h, "duration", e.get("duration_ms") + " ms");
        if (e.get("negotiated") instanceof Map<?, ?> neg && neg.get("protocol") != null) {
            dt(h, "negotiated", neg.get("protocol") + " " + neg.get("cipher"));
        }
        h.raw("</dl>");
        if (e.get("certificate") instanceof Map<?, ?> cert) {
            h.el("h4", "Certificate").raw("<dl>");
            entries(h, cert);
            h.raw("</dl>");
        }
        h.raw("</div><div>").el("h4", "ClientHello");
        if (hello == null) {
            h.el("p", "note", "none decoded");
        } else {
            h.raw("<dl class=\"hello\">");
            Map<Object, Object> ordered = new LinkedHashMap<>();
            for (String k : HELLO_ORDER) {
                if (hello.containsKey(k)) {
                    ordered.put(k, hello.get(k));
                }
            }
            hello.forEach(ordered::putIfAbsent);
            entries(h, ordered);
            h.raw("</dl>");
        }
        h.raw("</div></div>");
        if (e.get("evidence") instanceof Map<?, ?> ev && !ev.isEmpty()) {
            h.el("h4", "Evidence").raw("<dl class=\"evidence\">");
            entries(h, ev);
            h.raw("</dl>");
        }
        Map<String, Object> other = new LinkedHashMap<>(e);
        other.keySet().removeAll(PLACED);
        if (!other.isEmpty()) {
            h.el("h4", "Other fields").raw("<dl>");
            entries(h, other);
            h.raw("</dl>");
        }
        h.raw("</div></details>\n");
    }

    private static Object blank(Object o) {
        return o == null || o.toString().isEmpty() ? null : o;
    }

    private static void dt(Html h, String term, Object value) {
        h.el("dt", term).raw("<dd>");
        value(h, value);
        h.raw("</dd>");
    }

    private static void entries(Html h, Map<?, ?> m) {
        for (Map.Entry<?, ?> x : m.entrySet()) {
            dt(h, String.valueOf(x.getKey()), x.getValue());
        }
    }

    /** Renders any event value: text, a list as chips (ordered: cipher suites keep the client's order), a map as a list of terms. */
    private static void value(Html h, Object v) {
        if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                h.el("span", "note", "none");
                return;
            }
            h.raw("<ol class=\"chips\">");
            for (Object o : list) {
                h.raw("<li>");
                value(h, o);
                h.raw("</li>");
            }
            h.raw("</ol>");
        } else if (v instanceof Map<?, ?> map) {
            h.raw("<dl>");
            entries(h, map);
            h.raw("</dl>");
        } else {
            h.text(v);
        }
    }

    private void compatibility(Html h, String keyName) {
        String key = keyName != null ? keyName.toUpperCase(Locale.ROOT) : defaultKey();
        h.raw("<section id=\"compatibility\"><h2>Compatibility of the clients seen</h2>");
        List<Map<String, Object>> reports = new ArrayList<>();
        for (String p : POLICIES) {
            reports.add(CompatibilityView.render(seenClients, p, key));
        }
        Map<String, Object> first = reports.get(0);
        h.raw("<p class=\"note\">").text("The " + first.get("client_hellos") + " ClientHellos seen since start ("
                + first.get("distinct_ja4") + " distinct JA4) judged against each named policy for an " + key
                + " certificate: who would fail, and why. ");
        String other = "RSA".equals(key) ? "ECDSA" : "RSA";
        h.raw("<a").attr("href", "/?key=" + other + "#compatibility").raw(">").text("Judge for an " + other
                + " certificate").raw("</a>.</p>");
        for (Map<String, Object> r : reports) {
            compatibilityPolicy(h, r);
        }
        h.raw("</section>\n");
    }

    /** @return the key type of the first served leaf when it is RSA or ECDSA, else ECDSA */
    private String defaultKey() {
        return listeners.stream().flatMap(l -> l.servedChains().stream()).findFirst()
                .map(a -> a.leafKeyType() == KeyType.RSA ? "RSA" : "ECDSA").orElse("ECDSA");
    }

    @SuppressWarnings("unchecked")
    private static void compatibilityPolicy(Html h, Map<String, Object> r) {
        long failing = ((Number) r.get("failing")).longValue();
        long total = ((Number) r.get("client_hellos")).longValue();
        Map<String, Map<String, Object>> causes = (Map<String, Map<String, Object>>) r.get("causes");
        h.raw("<details class=\"policy\"").attr("data-policy", r.get("policy")).raw(failing > 0 ? " open" : "")
                .raw("><summary>").el("b", r.get("policy")).raw(": ");
        if (total == 0) {
            h.text("no ClientHello seen yet");
        } else if (failing == 0) {
            h.el("span", "ok", "every client seen would connect");
        } else {
            h.raw("<span class=\"bad\">").text(failing + " of " + total + " ClientHellos would fail").raw("</span> ");
            List<String> parts = new ArrayList<>();
            causes.forEach((cause, m) -> parts.add(cause + " " + m.get("client_hellos")));
            h.text("(" + String.join(", ", parts) + ")");
        }
        h.raw("</summary>");
        List<Map<String, Object>> rows = ((List<Map<String, Object>>) r.get("clients")).stream()
                .filter(x -> !"ok".equals(x.get("verdict"))).toList();
        if (!rows.isEmpty()) {
            h.raw("<table class=\"compat\"><thead><tr><th>client</th><th>JA4</th><th>ClientHellos</th><th>cause</th>"
                    + "<th>why</th></tr></thead><tbody>");
            for (Map<String, Object> row : rows) {
                h.raw("<tr class=\"compat-row\"").attr("data-verdict", row.get("verdict")).raw(">")
                        .el("td", row.get("client") == null ? "unnamed" : row.get("client"))
                        .el("td", "mono", row.get("ja4")).el("td", "num", row.get("count"))
                        .el("td", "cause", row.get("verdict")).el("td", row.get("summary")).raw("</tr>");
            }
            h.raw("</tbody></table>");
        }
        h.raw("</details>\n");
    }

    /** The counters of every listener, read once per page. */
    private final class Counts {
        final Map<String, Map<String, Double>> handshakes = new HashMap<>();
        final Map<String, Map<String, Double>> failures = new HashMap<>();
        final Map<String, Double> active = sum("tlslens.connections.active");
        final Map<String, Double> connections = sum("tlslens.connections");
        final Map<String, Double> empty = sum("tlslens.empty.connections");
        final Map<String, Double> abandoned = sum("tlslens.handshakes.abandoned");
        final Map<String, Map<String, Double>> byCause = new HashMap<>();
        final List<Map<String, String>> causeRows = new ArrayList<>();
        final List<Recent> recent;
        final Instant since;
        final boolean saturated;

        Counts(Instant now) {
            for (ProxyMetrics.Sample s : metrics.samples("tlslens.handshakes")) {
                add(handshakes, s.tags().get("listener"), s.tags().get("leg"), s.value());
            }
            List<ProxyMetrics.Sample> failed = new ArrayList<>(metrics.samples("tlslens.handshake.failures"));
            for (ProxyMetrics.Sample s : metrics.samples("tlslens.backend.connect.failures")) {
                Map<String, String> tags = new HashMap<>(s.tags());
                tags.put("leg", "backend");
                tags.put("alert", "none");
                tags.put("alert_sender", "none");
                failed.add(new ProxyMetrics.Sample(tags, s.value()));
            }
            failed.sort(Comparator.comparingDouble(ProxyMetrics.Sample::value).reversed());
            for (ProxyMetrics.Sample s : failed) {
                if (s.value() <= 0) {
                    continue;
                }
                String l = s.tags().get("listener");
                add(failures, l, s.tags().get("leg"), s.value());
                add(byCause, l, s.tags().get("cause"), s.value());
                Map<String, String> row = new LinkedHashMap<>(s.tags());
                row.put("count", fmt(s.value()));
                causeRows.add(row);
            }
            recent = debug ? recentFailures.get() : List.of();
            since = now.minus(WINDOW);
            saturated = !recent.isEmpty() && recent.size() >= recentCapacity
                    && recent.get(recent.size() - 1).at().isAfter(since);
        }

        private Map<String, Double> sum(String meter) {
            Map<String, Double> out = new HashMap<>();
            for (ProxyMetrics.Sample s : metrics.samples(meter)) {
                out.merge(s.tags().get("listener"), s.value(), Double::sum);
            }
            return out;
        }

        private static void add(Map<String, Map<String, Double>> m, String a, String b, double v) {
            m.computeIfAbsent(a, k -> new HashMap<>()).merge(b, v, Double::sum);
        }

        double total(Map<String, ?> byListener) {
            double t = 0;
            for (Object v : byListener.values()) {
                if (v instanceof Double d) {
                    t += d;
                } else if (v instanceof Map<?, ?> m) {
                    for (Object x : m.values()) {
                        t += (Double) x;
                    }
                }
            }
            return t;
        }

        long recentCount(String listener) {
            return recent.stream().filter(r -> r.at().isAfter(since))
                    .filter(r -> listener == null || listener.equals(r.event().get("listener"))).count();
        }

        long recentTotal() {
            return recentCount(null);
        }

        /** @return the failures of the last 5 minutes among those kept; "≥ n" when older ones were pushed out */
        String recentText(String listener) {
            long n = recentCount(listener);
            return (saturated && n > 0 ? "≥ " : "") + n;
        }

        String topCause(String listener) {
            return byCause.getOrDefault(listener, Map.of()).entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .map(x -> x.getKey() + " (" + fmt(x.getValue()) + ")").orElse(null);
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** @return e.g. {@code 3 min}, {@code 2 h 5 min}, {@code 4 d 1 h} */
    static String span(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86_400 + " d " + s % 86_400 / 3600 + " h";
    }

    private static String resource(String name) {
        try (InputStream in = AdminPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing beside " + AdminPage.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
