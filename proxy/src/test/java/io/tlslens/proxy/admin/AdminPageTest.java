package io.tlslens.proxy.admin;

import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.proxy.TestPki;
import io.tlslens.proxy.telemetry.ListenerView;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import io.tlslens.proxy.telemetry.RecentFailures.Recent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field of a failure event that a client can influence, filled with markup, comes out of the page as
 * text; AdminPageIT checks the same in a real browser with a real hostile SNI.
 */
class AdminPageTest {
    /** Breaks out of a text node and of a quoted attribute value if anything is left unescaped. */
    static final String EVIL = "\"'><x-evil onload=alert(1)>&amp;";
    static final String ESCAPED = "&quot;&#39;&gt;&lt;x-evil onload=alert(1)&gt;&amp;amp;";

    @Test
    void escapesTheFiveCharacters() {
        assertThat(Html.escape("<a href=\"x\">Tom & Jerry's</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
        assertThat(Html.escape("plain TLS 1.3 – ok")).isEqualTo("plain TLS 1.3 – ok");
    }

    @Test
    void everyClientControlledFieldIsText() throws Exception {
        String html = page(true).render(null, Instant.now());
        assertThat(html).doesNotContain("<x-evil").contains(ESCAPED);
        // each place a hostile value lands: summary, hint, alert, engine error, SNI, ALPN, JA4, evidence key and value,
        // certificate, a field the page does not know
        for (String where : List.of("summary", "hint", "alert", "engine", "sni", "alpn", "ja4", "evidence-key",
                "evidence-value", "subject", "extra")) {
            assertThat(html).as(where).contains(where + ESCAPED);
        }
    }

    @Test
    void debugOffShowsNoFailureDetails() throws Exception {
        String html = page(false).render(null, Instant.now());
        assertThat(html).doesNotContain("x-evil", "<details").contains("id=\"debug-off\"");
    }

    private static AdminPage page(boolean debug) throws Exception {
        TestPki pki = new TestPki(Files.createTempDirectory("tlslens-admin-page"));
        var chain = List.of(pki.leaf("localhost").cert(), pki.intermediate.cert());
        var analysis = ChainAnalyzer.withSystemTrust(List.of()).analyze(chain);
        ListenerView web = new ListenerView("web", "terminate", "127.0.0.1:8443", "127.0.0.1:8080",
                NamedPolicies.byName("intermediate").orElseThrow(), null, List.of(), () -> List.of(analysis));
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("versions", List.of("TLS 1.1"));
        hello.put("server_name", "sni" + EVIL);
        hello.put("alpn", List.of("alpn" + EVIL));
        hello.put("ja4", "ja4" + EVIL);
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("description", "alert" + EVIL);
        alert.put("code", 70);
        alert.put("level", "fatal");
        alert.put("sender", "proxy");
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("listener", "web");
        e.put("leg", "frontend");
        e.put("mode", "terminate");
        e.put("connection_id", "abc");
        e.put("client_address", "127.0.0.1:5555");
        e.put("backend_address", "127.0.0.1:8080");
        e.put("duration_ms", 3);
        e.put("cause", "protocol_version_mismatch");
        e.put("summary", "summary" + EVIL);
        e.put("hints", List.of("hint" + EVIL));
        e.put("alert", alert);
        e.put("engine_error", "engine" + EVIL);
        e.put("client_hello", hello);
        e.put("certificate", Map.of("subject", "subject" + EVIL));
        e.put("evidence", Map.of("evidence-key" + EVIL, "evidence-value" + EVIL));
        e.put("extra", "extra" + EVIL);
        List<Recent> recent = List.of(new Recent(Instant.now(), e));
        return new AdminPage(new ProxyMetrics(), () -> recent, 100, List.of(web),
                new ClientHelloAggregate(10, Map.of()), () -> true, debug);
    }
}
