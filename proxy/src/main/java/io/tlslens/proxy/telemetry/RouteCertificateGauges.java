package io.tlslens.proxy.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.tlslens.inspector.cert.CertificateSummary;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Expiry gauges for the chains a passthrough listener's backends present, bounded by configuration: one
 * set of {@code tlslens_certificate_expiry_timestamp_seconds{listener, leg="backend", role, subject, serial}}
 * series per route (the default backend counts as one), never per SNI. A route's set is the chain last
 * seen for it; a different chain replaces it (the series no other route shows are removed), so a renewal
 * clears the old certificate's alert. Thread-safe.
 */
public final class RouteCertificateGauges {
    /** How long a route's chain stands before a TLS 1.3 route is probed again. */
    public static final Duration REFRESH = Duration.ofMinutes(10);

    private final ProxyMetrics metrics;
    private final String listener;
    private final Map<Object, RouteChain> routes = new HashMap<>();
    private final Map<String, Series> series = new HashMap<>();

    private record RouteChain(List<String> fingerprints, long seenNanos) {
    }

    private static final class Series {
        final Gauge gauge;
        int routes;

        Series(Gauge gauge) {
            this.gauge = gauge;
        }
    }

    /**
     * @param metrics  the registry
     * @param listener listener label
     */
    public RouteCertificateGauges(ProxyMetrics metrics, String listener) {
        this.metrics = metrics;
        this.listener = listener;
    }

    /** Records the chain a route's backend sent on the wire (TLS ≤ 1.2 Certificate message), leaf first. */
    public void seenOnWire(Object route, List<X509Certificate> chain) {
        List<CertificateSummary> summaries = new ArrayList<>(chain.size());
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            boolean selfIssued = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
            summaries.add(CertificateSummary.of(c, i == 0 ? "leaf" : selfIssued ? "root" : "intermediate"));
        }
        seen(route, summaries);
    }

    /**
     * Makes {@code chain} the route's series set, replacing the one it had.
     *
     * @param route the route (any key stable for the listener's configuration)
     * @param chain the chain's summaries, leaf first
     */
    public synchronized void seen(Object route, List<CertificateSummary> chain) {
        List<String> fingerprints = chain.stream().map(CertificateSummary::sha256Fingerprint).toList();
        RouteChain before = routes.get(route);
        routes.put(route, new RouteChain(fingerprints, System.nanoTime()));
        if (before != null && before.fingerprints().equals(fingerprints)) {
            return;
        }
        for (CertificateSummary c : chain) {
            series.computeIfAbsent(c.sha256Fingerprint(), k -> new Series(metrics.certificate(listener, "backend", c))).routes++;
        }
        if (before != null) {
            for (String f : before.fingerprints()) {
                Series s = series.get(f);
                if (s != null && --s.routes == 0) {
                    series.remove(f);
                    metrics.remove(s.gauge);
                }
            }
        }
    }

    /** @return true when the route has no chain yet, or its chain is older than {@link #REFRESH} */
    public synchronized boolean stale(Object route) {
        RouteChain c = routes.get(route);
        return c == null || System.nanoTime() - c.seenNanos() > REFRESH.toNanos();
    }

    /**
     * Marks the route as just looked at, so that concurrent connections do not all probe it.
     *
     * @return true when the caller should probe (the route was stale)
     */
    public synchronized boolean claimProbe(Object route) {
        if (!stale(route)) {
            return false;
        }
        RouteChain c = routes.get(route);
        routes.put(route, new RouteChain(c == null ? List.of() : c.fingerprints(), System.nanoTime()));
        return true;
    }

    /** @return how many certificates currently have a series */
    public synchronized int size() {
        return series.size();
    }
}
