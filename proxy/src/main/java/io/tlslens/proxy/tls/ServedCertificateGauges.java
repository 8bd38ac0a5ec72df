package io.tlslens.proxy.tls;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.proxy.telemetry.ProxyMetrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tlslens_certificate_expiry_timestamp_seconds{leg="frontend"}} series of one listener: one per
 * certificate in the chains it serves now. {@link #show(List)} adds the series of new chains and
 * removes those no longer served, so the gauges follow a certificate rotation.
 */
public final class ServedCertificateGauges {
    private final ProxyMetrics metrics;
    private final String listener;
    private Map<Meter.Id, Gauge> shown = Map.of();

    public ServedCertificateGauges(ProxyMetrics metrics, String listener) {
        this.metrics = metrics;
        this.listener = listener;
    }

    /** Publishes exactly the certificates of {@code served}; synchronized: called from start-up and the reloader. */
    public synchronized void show(List<ServedCertificate> served) {
        Map<Meter.Id, Gauge> next = new HashMap<>();
        for (ServedCertificate s : served) {
            for (CertificateSummary c : s.analysis().chain()) {
                Gauge g = metrics.certificate(listener, "frontend", c);
                next.put(g.getId(), g);
            }
        }
        for (Map.Entry<Meter.Id, Gauge> e : shown.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                metrics.remove(e.getValue());
            }
        }
        shown = next;
    }
}
