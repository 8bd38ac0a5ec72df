package io.tlslens.proxy.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.internal.PlatformDependent;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.registry.TlsRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The metrics contract (docs/metrics.md), in the one {@code tlslens_} namespace, on a Micrometer Prometheus registry. Every label value is from
 * a bounded set: listener names and certificate subjects come from configuration, causes and alert
 * names from registries; nothing client-controlled (SNI, ALPN, JA4) becomes a label.
 */
public final class ProxyMetrics {
    private static final Set<Integer> KNOWN_VERSIONS = Set.of(0x0300, 0x0301, 0x0302, 0x0303, 0x0304);
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /**
     * The meters every connection or handshake touches, by name and label values, so that the hot path does not
     * build and sort tags and look the meter up in the registry each time (seen in a JFR profile of the handshake
     * load). Bounded as the label values are; never holds a meter that can be removed.
     */
    private final Map<List<String>, Meter> hot = new ConcurrentHashMap<>();

    /** A registry with {@code tlslens_build_info} and the JVM and process binders (memory, GC, threads, CPU, descriptors). */
    public ProxyMetrics() {
        // names promtool's lint refuses (an abbreviated unit; a _count suffix on a gauge)
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(MeterFilter.denyNameStartsWith("system.cpu.count"));
        BuildInfo build = BuildInfo.load();
        Gauge.builder("tlslens.build.info", () -> 1).description("The running build: always 1")
                .tags("version", build.version(), "revision", build.revision(), "netty", build.netty(),
                        "boringssl", build.boringssl())
                .register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("tlslens.netty.direct.memory.used", PlatformDependent::usedDirectMemory)
                .description("Direct memory Netty's allocators hold").baseUnit("bytes").register(registry);
    }

    /** @return the Prometheus text exposition (format 0.0.4) of every metric */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * @param contentType the exposition format asked for: {@code application/openmetrics-text; version=1.0.0}
     *                    or the Prometheus text format
     * @return every metric in that format
     */
    public String scrape(String contentType) {
        return registry.scrape(contentType);
    }

    /** Registers a listener's always-present series (zero counters, the active gauge). */
    public void registerListener(String listener, AtomicInteger active) {
        Gauge.builder("tlslens.connections.active", active, AtomicInteger::get)
                .description("Open client connections").tag("listener", listener).register(registry);
        connections(listener);
        empty(listener);
        connectionsRefused(listener, "max_connections");
        idleTimeouts(listener);
        abandoned(listener, "frontend");
        bytes(listener, "client_to_backend");
        bytes(listener, "backend_to_client");
    }

    /** @return {@code tlslens_connections_total{listener}}: client connections accepted */
    public Counter connections(String listener) {
        return hot(List.of("connections", listener), k -> Counter.builder("tlslens.connections")
                .description("Client connections accepted").tag("listener", listener).register(registry));
    }

    /** @return {@code tlslens_empty_connections_total{listener}}: closed before their first byte */
    public Counter empty(String listener) {
        return Counter.builder("tlslens.empty.connections")
                .description("Connections closed before their first byte (port scans, TCP health checks)")
                .tag("listener", listener).register(registry);
    }

    /**
     * @param direction {@code client_to_backend} or {@code backend_to_client}
     * @return {@code tlslens_bytes_total{listener, direction}}: bytes relayed (application data)
     */
    public Counter bytes(String listener, String direction) {
        return hot(List.of("bytes", listener, direction), k -> Counter.builder("tlslens.bytes")
                .description("Bytes relayed, application data after TLS termination")
                .tags("listener", listener, "direction", direction).register(registry));
    }

    /**
     * Counts a successful handshake and records its duration.
     *
     * @param protocol the version in its IANA spelling ({@code TLS 1.3}), or {@code unknown}
     * @param cipher   the cipher suite's IANA name, or {@code unknown}
     * @param resumed  whether the session was resumed (abbreviated handshake)
     * @param seconds  seconds from the first byte to completion
     */
    public void handshake(String listener, String leg, String mode, String protocol, String cipher, boolean resumed,
                          double seconds) {
        String resumedLabel = Boolean.toString(resumed);
        this.<Counter>hot(List.of("handshakes", listener, leg, mode, protocol, cipher, resumedLabel),
                k -> Counter.builder("tlslens.handshakes").description("Successful TLS handshakes")
                        .tags("listener", listener, "leg", leg, "mode", mode, "protocol", protocol, "cipher", cipher,
                                "resumed", resumedLabel)
                        .register(registry)).increment();
        duration(listener, leg, "success").record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    /** Counts a diagnosed failure by cause, alert and its sender, and records its duration. */
    public void failure(String listener, String leg, String mode, Diagnosis d, double seconds) {
        Counter.builder("tlslens.handshake.failures").description("Failed TLS handshakes by probable root cause")
                .tags("listener", listener, "leg", leg, "mode", mode, "cause", d.cause().code(),
                        "alert", d.alertLabel(), "alert_sender", d.alertSender().label())
                .register(registry).increment();
        duration(listener, leg, "failure").record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    private Timer duration(String listener, String leg, String outcome) {
        return hot(List.of("duration", listener, leg, outcome), k -> Timer.builder("tlslens.handshake.duration")
                .description("TLS handshake duration").tags("listener", listener, "leg", leg, "outcome", outcome)
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry));
    }

    @SuppressWarnings("unchecked")
    private <M extends Meter> M hot(List<String> key, Function<List<String>, M> register) {
        Meter m = hot.get(key);
        return m != null ? (M) m : (M) hot.computeIfAbsent(key, register);
    }

    /**
     * @param maxVersion highest version the ClientHello offered (wire code); unknown codes count as {@code other}
     */
    public void clientHello(String listener, int maxVersion, boolean sni) {
        String version = KNOWN_VERSIONS.contains(maxVersion) ? TlsRegistry.versionName(maxVersion) : "other";
        String sniLabel = sni ? "present" : "absent";
        this.<Counter>hot(List.of("client_hello", listener, version, sniLabel),
                k -> Counter.builder("tlslens.client.hello").description("ClientHellos received, by highest offered version")
                        .tags("listener", listener, "max_version", version, "sni", sniLabel)
                        .register(registry)).increment();
    }

    /**
     * @param group the group the HelloRetryRequest asked for (IANA name, {@code other} or {@code none})
     * @return {@code tlslens_hello_retry_requests_total{listener, leg, group}}
     */
    public Counter helloRetryRequests(String listener, String leg, String group) {
        return Counter.builder("tlslens.hello.retry.requests")
                .description("TLS 1.3 HelloRetryRequests, by the group asked for (supported by the client, sent without a key share)")
                .tags("listener", listener, "leg", leg, "group", group).register(registry);
    }

    /**
     * @param result {@code accepted} or {@code rejected}
     * @return {@code tlslens_session_resumptions_total{listener, leg, result}}
     */
    public Counter sessionResumptions(String listener, String leg, String result) {
        return Counter.builder("tlslens.session.resumptions")
                .description("Session resumption attempts (pre_shared_key, session ticket or session ID), accepted or rejected")
                .tags("listener", listener, "leg", leg, "result", result).register(registry);
    }

    /** Counts one OCSP staple refresh: {@code result} is {@code success} or {@code failure}. */
    public void ocspStaple(String listener, String result) {
        ocspStapleRefreshes(listener, result).increment();
    }

    /**
     * @param result {@code success} or {@code failure}
     * @return {@code tlslens_ocsp_staple_refreshes_total{listener, result}}
     */
    public Counter ocspStapleRefreshes(String listener, String result) {
        return Counter.builder("tlslens.ocsp.staple.refreshes").description("OCSP staple refreshes for served certificates")
                .tags("listener", listener, "result", result).register(registry);
    }

    /** Counts a TCP connect failure to a backend, by cause. */
    public void backendConnectFailure(String listener, Cause cause) {
        Counter.builder("tlslens.backend.connect.failures").description("Backend TCP connect failures")
                .tags("listener", listener, "cause", cause.code()).register(registry).increment();
    }

    /** Publishes the notAfter of every certificate in a served chain, as epoch seconds. */
    public void certificates(String listener, String leg, List<CertificateSummary> chain) {
        for (CertificateSummary c : chain) {
            certificate(listener, leg, c);
        }
    }

    /**
     * Publishes one certificate's notAfter, epoch seconds.
     *
     * @return the gauge, so that it can be removed when the certificate is no longer seen
     */
    public Gauge certificate(String listener, String leg, CertificateSummary c) {
        double notAfter = c.notAfter().getEpochSecond();
        return Gauge.builder("tlslens.certificate.expiry.timestamp.seconds", () -> notAfter)
                .description("notAfter of a certificate, epoch seconds")
                .tags("listener", listener, "leg", leg, "role", c.role(), "subject", c.subject(), "serial", c.serialHex())
                .register(registry);
    }

    /**
     * @param result {@code success} or {@code failure}
     * @return {@code tlslens_config_reloads_total{listener, result}}: certificate reloads after a file change
     */
    public Counter configReloads(String listener, String result) {
        return Counter.builder("tlslens.config.reloads")
                .description("Certificate/key reloads after their files changed on disk, by result")
                .tags("listener", listener, "result", result).register(registry);
    }

    /**
     * @param reason {@code max_connections} or {@code proxy_protocol}
     * @return {@code tlslens_connections_refused_total{listener, reason}}: connections closed before any relaying
     */
    public Counter connectionsRefused(String listener, String reason) {
        return Counter.builder("tlslens.connections.refused")
                .description("Client connections refused: over max-connections, or without a valid PROXY protocol header")
                .tags("listener", listener, "reason", reason).register(registry);
    }

    /** @return {@code tlslens_idle_timeouts_total{listener}}: established relays closed after idle-timeout */
    public Counter idleTimeouts(String listener) {
        return Counter.builder("tlslens.idle.timeouts")
                .description("Established relays closed because no byte passed either way for idle-timeout")
                .tag("listener", listener).register(registry);
    }

    /**
     * @return {@code tlslens_handshakes_abandoned_total{listener, leg}}: handshakes completed, then closed with
     * no byte and no definite certificate problem (health checks, clients that only wanted the handshake)
     */
    public Counter abandoned(String listener, String leg) {
        return Counter.builder("tlslens.handshakes.abandoned")
                .description("Handshakes completed, then closed with no application data and no certificate problem")
                .tags("listener", listener, "leg", leg).register(registry);
    }

    /**
     * @param leg    {@code frontend} (our staples) or {@code backend} (the backend's chain)
     * @param method {@code ocsp} or {@code crl}
     * @param result {@code good}, {@code revoked}, {@code unavailable} (no usable answer: soft-fail) or {@code stale}
     * @return {@code tlslens_revocation_checks_total{listener, leg, method, result}}
     */
    public Counter revocationChecks(String listener, String leg, String method, String result) {
        return Counter.builder("tlslens.revocation.checks")
                .description("Revocation checks of certificates, by method and result (unavailable: soft-fail, the connection goes on)")
                .tags("listener", listener, "leg", leg, "method", method, "result", result).register(registry);
    }

    /** Removes a meter, e.g. a certificate series no longer served. */
    public void remove(Meter meter) {
        registry.remove(meter);
    }

    /**
     * One series as read back from the registry.
     *
     * @param tags  its labels
     * @param value a counter's count, a gauge's value, a timer's count of events
     */
    public record Sample(Map<String, String> tags, double value) {
    }

    /**
     * Reads every series of one metric as it is now (for the admin page); changes nothing.
     *
     * @param name the meter name in Micrometer's dotted form, e.g. {@code tlslens.handshakes}
     * @return its series, in no particular order
     */
    public List<Sample> samples(String name) {
        List<Sample> out = new ArrayList<>();
        for (Meter m : registry.find(name).meters()) {
            Map<String, String> tags = new LinkedHashMap<>();
            m.getId().getTags().forEach(t -> tags.put(t.getKey(), t.getValue()));
            double value = m instanceof Counter c ? c.count() : m instanceof Gauge g ? g.value()
                    : m instanceof Timer t ? t.count() : Double.NaN;
            out.add(new Sample(Map.copyOf(tags), value));
        }
        return out;
    }
}
