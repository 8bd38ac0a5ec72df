package io.tlslens.proxy.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.tlslens.inspector.cert.CertificateSummary;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expiry gauges for certificates seen on a backend leg, bounded: the {@code capacity} most recently
 * seen distinct certificates (by SHA-256) have a {@code tlslens_certificate_expiry_timestamp_seconds}
 * series; the least recently seen is evicted and its series removed, so rotating backends cannot
 * grow the metric without bound. Thread-safe.
 */
public final class SeenCertificateGauges {
    private final ProxyMetrics metrics;
    private final String listener;
    private final Map<String, Gauge> gauges;

    /**
     * @param metrics  the registry
     * @param listener listener label
     * @param capacity most distinct certificates with a series
     */
    public SeenCertificateGauges(ProxyMetrics metrics, String listener, int capacity) {
        this.metrics = metrics;
        this.listener = listener;
        this.gauges = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Gauge> eldest) {
                if (size() > capacity) {
                    metrics.remove(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** Records a chain as received (leaf first). */
    public synchronized void seen(List<X509Certificate> chain) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            boolean selfIssued = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
            String role = i == 0 ? "leaf" : selfIssued ? "root" : "intermediate";
            CertificateSummary s = CertificateSummary.of(c, role);
            gauges.computeIfAbsent(s.sha256Fingerprint(), k -> metrics.certificate(listener, "backend", s));
        }
    }

    /** @return how many certificates currently have a series */
    public synchronized int size() {
        return gauges.size();
    }
}
