package io.tlslens.proxy.telemetry;

import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.diagnosis.AlertSender;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.FixHints;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The one place a listener's handshake outcomes go, whatever the mode or leg: it takes values (never
 * channels) and does everything that follows an outcome — the counters, the failure log line, the
 * recent-failures ring and the ClientHellos seen for {@code /debug/compatibility}. Thread-safe
 * (Micrometer meters, a synchronized ring, a concurrent aggregate).
 */
public final class OutcomeSink {
    private final String listener;
    private final String mode;
    private final ProxyMetrics metrics;
    private final FailureLog log;
    private final ClientHelloAggregate seenClients;

    /**
     * @param listener    the listener's name (metric label)
     * @param mode        its mode label ({@code terminate}, {@code passthrough}, {@code originate})
     * @param metrics     the process's metrics
     * @param log         the failure log
     * @param seenClients the ClientHellos seen by every listener
     */
    public OutcomeSink(String listener, String mode, ProxyMetrics metrics, FailureLog log,
                       ClientHelloAggregate seenClients) {
        this.listener = listener;
        this.mode = mode;
        this.metrics = metrics;
        this.log = log;
        this.seenClients = seenClients;
    }

    /** @return the listener's name */
    public String listener() {
        return listener;
    }

    /** @return the listener's mode label */
    public String mode() {
        return mode;
    }

    /** Counts a client's decoded ClientHello and adds it to the clients seen (for the compatibility view). */
    public void clientHello(ClientHello hello) {
        metrics.clientHello(listener, hello.maxVersion(), hello.serverName() != null);
        seenClients.record(hello);
    }

    /**
     * Counts one successful handshake.
     *
     * @param leg      the leg
     * @param protocol the negotiated protocol in any common spelling ({@code TLSv1.3}, {@code TLS 1.3}), null when unknown
     * @param cipher   the negotiated cipher suite (IANA name), null when unknown
     * @param resumed  whether the session was resumed
     * @param seconds  seconds from the first byte to completion
     */
    public void success(Leg leg, String protocol, String cipher, boolean resumed, double seconds) {
        metrics.handshake(listener, leg.label(), mode, versionLabel(protocol), cipher == null ? "unknown" : cipher,
                resumed, seconds);
    }

    /** @return the IANA spelling of a protocol version ({@code TLS 1.3}), the one label value for it */
    static String versionLabel(String protocol) {
        OptionalInt code = TlsRegistry.versionCode(protocol);
        return code.isPresent() ? TlsRegistry.versionName(code.getAsInt()) : "unknown";
    }

    /**
     * Counts a HelloRetryRequest: the server asked the client for a key share of another group.
     *
     * @param leg   the leg
     * @param group the group asked for (its code), -1 when the HelloRetryRequest named none
     */
    public void helloRetryRequest(Leg leg, int group) {
        metrics.helloRetryRequests(listener, leg.label(), groupLabel(group)).increment();
    }

    /** @return a bounded label for a named group: its IANA name when registered, else {@code other} ({@code none} for -1) */
    static String groupLabel(int group) {
        if (group < 0) {
            return "none";
        }
        if (TlsRegistry.isGrease(group)) {
            return "other";
        }
        String name = TlsRegistry.namedGroupName(group);
        return name.startsWith("0x") ? "other" : name;
    }

    /**
     * Counts a session resumption attempt and whether the server accepted it.
     *
     * @param leg      the leg
     * @param accepted true when the session was resumed
     */
    public void resumption(Leg leg, boolean accepted) {
        metrics.sessionResumptions(listener, leg.label(), accepted ? "accepted" : "rejected").increment();
    }

    /**
     * Counts a handshake that completed and was then closed with no application data and no definite
     * certificate problem: not a failure (a health check, a client that only wanted the handshake).
     */
    public void abandoned(Leg leg) {
        metrics.abandoned(listener, leg.label()).increment();
    }

    /**
     * Counts one revocation check.
     *
     * @param leg    the leg whose certificate was checked
     * @param method {@code ocsp} or {@code crl}
     * @param result {@code good}, {@code revoked}, {@code unavailable} or {@code stale}
     */
    public void revocationCheck(Leg leg, String method, String result) {
        metrics.revocationChecks(listener, leg.label(), method, result).increment();
    }

    /** Counts an established relay closed after idle-timeout with no byte either way. */
    public void idleTimeout() {
        metrics.idleTimeouts(listener).increment();
    }

    /** Counts a connection closed before its first byte: not a failure, never logged. */
    public void empty() {
        metrics.empty(listener).increment();
    }

    /** Counts a failure, logs its line (rate-limited per cause) and keeps it for {@code /debug/handshakes}. */
    public void failure(Failure f) {
        metrics.failure(listener, f.conn().leg(), mode, f.diagnosis(), f.seconds());
        log.log(FailureEvent.of(f), f.diagnosis().cause() == Cause.INTERNAL_ERROR ? f.bug() : null);
    }

    /**
     * Reports a TCP connect failure to a backend, in every mode the same way: the connect-failure counter,
     * and a failure on leg {@code backend} with the backend's fix hints.
     *
     * @param conn           the connection (leg {@code backend})
     * @param cause          {@code backend_connect_refused}, {@code _timeout} or {@code backend_unreachable}
     * @param error          the connect error
     * @param connectTimeout the backend's connect timeout
     * @param durationMs     milliseconds the attempt took
     * @param hello          the client's ClientHello, or null
     */
    public void backendConnectFailed(ConnectionInfo conn, Cause cause, Throwable error, Duration connectTimeout,
                                     long durationMs, ClientHello hello) {
        metrics.backendConnectFailure(listener, cause);
        String summary = "could not open TCP to backend " + conn.backendAddress() + " for " + mode + " listener '"
                + listener + "': " + error.getMessage();
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        evidence.put("connect_timeout_ms", Long.toString(connectTimeout.toMillis()));
        Diagnosis d = new Diagnosis(cause, summary, FixHints.forCause(cause, Leg.BACKEND), null, AlertSender.NONE,
                null, null, evidence);
        log.log(FailureEvent.of(new Failure(conn, d, durationMs / 1000.0, "", ClientHelloSeen.of(hello), null, null, 0, null)), null);
    }
}
