package io.tlslens.proxy.admin;

import io.tlslens.inspector.cert.CertificateProblem;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.proxy.telemetry.ListenerView;
import io.tlslens.proxy.telemetry.ProxyMetrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /debug/certificates}: per listener, the chains it serves with their analysis (made at load
 * time, plus an OCSP revocation when a staple said so), and the backend certificates seen on its backend
 * leg as far as the expiry gauges know them (role, subject, serial, notAfter). JSON-ready maps; the admin
 * page renders the same maps.
 */
final class CertificatesView {
    /** The expiry gauge: every served and every backend certificate seen has a series. */
    static final String EXPIRY_METER = "tlslens.certificate.expiry.timestamp.seconds";

    private CertificatesView() {
    }

    /**
     * @param listeners the listeners
     * @param metrics   the registry, for the backend certificates seen
     * @param now       the time days-left and validity are judged at
     * @return {@code {generated_at, listeners: [{listener, mode, bind, served: [chain…], backend_seen: [certificate…]}]}}
     */
    static Map<String, Object> render(List<ListenerView> listeners, ProxyMetrics metrics, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated_at", now.toString());
        List<Map<String, Object>> ls = new ArrayList<>();
        for (ListenerView l : listeners) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("listener", l.name());
            m.put("mode", l.mode());
            m.put("bind", l.bind());
            List<Map<String, Object>> served = new ArrayList<>();
            for (ChainAnalysis a : l.servedChains()) {
                served.add(chain(a, now));
            }
            m.put("served", served);
            m.put("backend_seen", backendSeen(metrics, l.name(), now));
            ls.add(m);
        }
        out.put("listeners", ls);
        return out;
    }

    /**
     * @return one served chain: {@code certificates} (leaf first), {@code complete}, {@code anchored},
     *         {@code leaf_key}, and {@code problems} [{problem, cause, detail}] — the definite ones, then an
     *         untrusted root (which depends on what the client trusts); the hostname is judged per connection
     */
    static Map<String, Object> chain(ChainAnalysis a, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> certs = new ArrayList<>();
        for (CertificateSummary c : a.chain()) {
            certs.add(certificate(c, now));
        }
        m.put("certificates", certs);
        m.put("complete", !a.incomplete());
        m.put("anchored", a.anchored());
        m.put("leaf_key", a.leafKeyType().name());
        List<CertificateProblem> problems = new ArrayList<>(a.definiteProblems(null, now));
        a.clientDependentProblem().ifPresent(problems::add);
        List<Map<String, Object>> ps = new ArrayList<>();
        for (CertificateProblem p : problems) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("problem", p.name().toLowerCase(Locale.ROOT));
            pm.put("cause", cause(p));
            pm.put("detail", a.describe(p, null, now));
            ps.add(pm);
        }
        m.put("problems", ps);
        return m;
    }

    /** @return the cause a client's rejection of a chain with this problem is diagnosed as */
    static String cause(CertificateProblem p) {
        return switch (p) {
            case CHAIN_INCOMPLETE -> "certificate_chain_incomplete";
            case SELF_SIGNED, UNTRUSTED_ROOT -> "certificate_untrusted";
            case EXPIRED -> "certificate_expired";
            case NOT_YET_VALID -> "certificate_not_yet_valid";
            case HOSTNAME_MISMATCH -> "certificate_hostname_mismatch";
            case REVOKED -> "certificate_revoked";
        };
    }

    static Map<String, Object> certificate(CertificateSummary c, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", c.role());
        m.put("subject", c.subject());
        m.put("issuer", c.issuer());
        m.put("serial", c.serialHex());
        m.put("not_before", c.notBefore().toString());
        m.put("not_after", c.notAfter().toString());
        m.put("days_left", daysLeft(c.notAfter(), now));
        m.put("san", c.subjectAltNames());
        m.put("key", c.keyAlgorithm());
        m.put("sha256", c.sha256Fingerprint());
        return m;
    }

    /** @return whole days until {@code notAfter}, negative once it has passed (−1 on the day after) */
    static long daysLeft(Instant notAfter, Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).getSeconds(), 86_400L);
    }

    /** @return the backend certificates of a listener that have an expiry series, soonest expiry first */
    static List<Map<String, Object>> backendSeen(ProxyMetrics metrics, String listener, Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        metrics.samples(EXPIRY_METER).stream()
                .filter(s -> listener.equals(s.tags().get("listener")) && "backend".equals(s.tags().get("leg")))
                .sorted(Comparator.comparingDouble(ProxyMetrics.Sample::value))
                .forEach(s -> {
                    Instant notAfter = Instant.ofEpochSecond((long) s.value());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("role", s.tags().get("role"));
                    m.put("subject", s.tags().get("subject"));
                    m.put("serial", s.tags().get("serial"));
                    m.put("not_after", notAfter.toString());
                    m.put("days_left", daysLeft(notAfter, now));
                    out.add(m);
                });
        return out;
    }
}
