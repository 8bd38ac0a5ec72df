package io.tlslens.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.registry.TlsRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The metrics contract of DESIGN.md on a Micrometer Prometheus registry. Every label value is from
 * a bounded set: listener names and certificate subjects come from configuration, causes and alert
 * names from registries; nothing client-controlled (SNI, ALPN, JA4) becomes a label.
 */
final class ProxyMetrics {
    private static final Set<Integer> KNOWN_VERSIONS = Set.of(0x0300, 0x0301, 0x0302, 0x0303, 0x0304);
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** @return the Prometheus text exposition of every metric */
    String scrape() {
        return registry.scrape();
    }

    /** Registers a listener's always-present series (zero counters, the active gauge). */
    void registerListener(String listener, AtomicInteger active) {
        Gauge.builder("proxy.connections.active", active, AtomicInteger::get)
                .description("Open client connections").tag("listener", listener).register(registry);
        connections(listener);
        empty(listener);
        connectionsRefused(listener, "max_connections");
        bytes(listener, "client_to_backend");
        bytes(listener, "backend_to_client");
    }

    Counter connections(String listener) {
        return Counter.builder("proxy.connections").description("Client connections accepted")
                .tag("listener", listener).register(registry);
    }

    Counter empty(String listener) {
        return Counter.builder("tls.empty.connections")
                .description("Connections closed before their first byte (port scans, TCP health checks)")
                .tag("listener", listener).register(registry);
    }

    Counter bytes(String listener, String direction) {
        return Counter.builder("proxy.bytes").description("Bytes relayed, application data after TLS termination")
                .tags("listener", listener, "direction", direction).register(registry);
    }

    void handshake(String listener, String leg, String mode, String protocol, String cipher, double seconds) {
        Counter.builder("tls.handshakes").description("Successful TLS handshakes")
                .tags("listener", listener, "leg", leg, "mode", mode, "protocol", protocol, "cipher", cipher)
                .register(registry).increment();
        duration(listener, leg, "success").record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    void failure(String listener, String leg, String mode, Diagnosis d, double seconds) {
        Counter.builder("tls.handshake.failures").description("Failed TLS handshakes by probable root cause")
                .tags("listener", listener, "leg", leg, "mode", mode, "cause", d.cause().code(),
                        "alert", d.alertLabel(), "alert_sender", d.alertSender().label())
                .register(registry).increment();
        duration(listener, leg, "failure").record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    private Timer duration(String listener, String leg, String outcome) {
        return Timer.builder("tls.handshake.duration").description("TLS handshake duration")
                .tags("listener", listener, "leg", leg, "outcome", outcome)
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    /**
     * @param maxVersion highest version the ClientHello offered (wire code); unknown codes count as {@code other}
     */
    void clientHello(String listener, int maxVersion, boolean sni) {
        String version = KNOWN_VERSIONS.contains(maxVersion) ? TlsRegistry.versionName(maxVersion) : "other";
        Counter.builder("tls.client.hello").description("ClientHellos received, by highest offered version")
                .tags("listener", listener, "max_version", version, "sni", sni ? "present" : "absent")
                .register(registry).increment();
    }

    /** Counts one OCSP staple refresh: {@code result} is {@code success} or {@code failure}. */
    void ocspStaple(String listener, String result) {
        Counter.builder("tls.ocsp.staple.refreshes").description("OCSP staple refreshes for served certificates")
                .tags("listener", listener, "result", result).register(registry).increment();
    }

    void backendConnectFailure(String listener, Cause cause) {
        Counter.builder("proxy.backend.connect.failures").description("Backend TCP connect failures")
                .tags("listener", listener, "cause", cause.code()).register(registry).increment();
    }

    /** Publishes the notAfter of every certificate in a served chain, as epoch seconds. */
    void certificates(String listener, String leg, List<CertificateSummary> chain) {
        for (CertificateSummary c : chain) {
            certificate(listener, leg, c);
        }
    }

    /**
     * Publishes one certificate's notAfter, epoch seconds.
     *
     * @return the gauge, so that it can be removed when the certificate is no longer seen
     */
    Gauge certificate(String listener, String leg, CertificateSummary c) {
        double notAfter = c.notAfter().getEpochSecond();
        return Gauge.builder("tls.certificate.expiry.timestamp.seconds", () -> notAfter)
                .description("notAfter of a certificate, epoch seconds")
                .tags("listener", listener, "leg", leg, "role", c.role(), "subject", c.subject(), "serial", c.serialHex())
                .register(registry);
    }

    /**
     * @param result {@code success} or {@code failure}
     * @return {@code tlslens_config_reloads_total{listener, result}}: certificate reloads after a file change
     */
    Counter configReloads(String listener, String result) {
        return Counter.builder("tlslens.config.reloads")
                .description("Certificate/key reloads after their files changed on disk, by result")
                .tags("listener", listener, "result", result).register(registry);
    }

    /**
     * @param reason {@code max_connections} or {@code proxy_protocol}
     * @return {@code proxy_connections_refused_total{listener, reason}}: connections closed before any relaying
     */
    Counter connectionsRefused(String listener, String reason) {
        return Counter.builder("proxy.connections.refused")
                .description("Client connections refused: over max-connections, or without a valid PROXY protocol header")
                .tags("listener", listener, "reason", reason).register(registry);
    }

    /** Removes a meter, e.g. a certificate series no longer served. */
    void remove(Meter meter) {
        registry.remove(meter);
    }
}
