package io.tlslens.proxy;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.diagnosis.BackendDiagnoser;
import io.tlslens.inspector.diagnosis.BackendFacts;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.diagnosis.ProbedBackend;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Reports the outcome of backend-leg handshakes of one listener: successes on
 * {@code tls_handshakes_total{leg="backend"}}, failures diagnosed by the {@link BackendDiagnoser} on
 * {@code tls_handshake_failures_total{leg="backend"}} and as a JSON line carrying the frontend
 * connection id, and the expiry of every backend certificate seen.
 */
final class BackendReporter {
    private final ListenerContext listener;
    private final BackendTlsContext tls;
    private final ProxyMetrics metrics;
    private final FailureLog log;
    private final BackendDiagnoser diagnoser = new BackendDiagnoser();
    private final SeenCertificateGauges seen;
    private final BackendProbe probe;

    /**
     * @param listener the listener
     * @param tls      its backend TLS context
     * @param metrics  metrics
     * @param log      the failure log
     * @param probe    learns what a backend accepts when it refused our ClientHello; null to skip
     */
    BackendReporter(ListenerContext listener, BackendTlsContext tls, ProxyMetrics metrics, FailureLog log,
                    BackendProbe probe) {
        this.probe = probe;
        this.listener = listener;
        this.tls = tls;
        this.metrics = metrics;
        this.log = log;
        this.seen = new SeenCertificateGauges(metrics, listener.name(), 256);
    }

    /** Publishes the expiry of a chain the backend sent. */
    void chainSeen(List<X509Certificate> chain) {
        seen.seen(chain);
    }

    /** Counts a backend handshake confirmed by application data, once. */
    void succeed(BackendObservation obs, Channel frontend) {
        if (obs.reported) {
            return;
        }
        obs.reported = true;
        metrics.handshake(listener.name(), Leg.BACKEND.label(), listener.mode(), obs.negotiatedProtocol,
                obs.negotiatedCipher, (obs.handshakeCompleteNanos - obs.startNanos) / 1e9);
    }

    /** A completed handshake whose connection closed before any backend data: a success unless an alert says otherwise. */
    void closedAfterHandshake(BackendObservation obs, Channel frontend) {
        if (!report(obs, frontend, Ending.CLOSED_AFTER_HANDSHAKE)) {
            succeed(obs, frontend);
        }
    }

    /** Reports a failed backend handshake, once. */
    void fail(BackendObservation obs, Channel frontend, Ending ending) {
        report(obs, frontend, ending);
    }

    private boolean report(BackendObservation obs, Channel frontend, Ending ending) {
        if (obs.reported) {
            return true;
        }
        if (probe != null && refusedOurHello(obs)) {
            // what does the backend accept? Ask it once (cached), off this event loop, then report
            obs.reported = true;
            InetSocketAddress address = listener.backendAddress();
            probe.probe(address, obs.serverName).whenComplete((probed, error) -> frontend.eventLoop().execute(() ->
                    diagnoseAndLog(obs, frontend, ending, error == null ? probed : null)));
            return true;
        }
        return diagnoseAndLog(obs, frontend, ending, null);
    }

    /** An alert (or our refusal) right after our ClientHello: a version or cipher mismatch the probe can settle. */
    private static boolean refusedOurHello(BackendObservation obs) {
        return !obs.serverHelloSeen && !obs.handshakeComplete && obs.offered != null && obs.firstBytes == null
                && (obs.alertReceived != null || obs.engineError.is("UNSUPPORTED_PROTOCOL", "NO_SHARED_CIPHER"));
    }

    private boolean diagnoseAndLog(BackendObservation obs, Channel frontend, Ending ending, ProbedBackend probed) {
        Ending effective = obs.internalFailure != null ? Ending.INTERNAL_FAILURE : ending;
        ChainAnalysis chain = obs.receivedChain == null || obs.receivedChain.isEmpty() ? null
                : tls.analyzer().analyze(obs.receivedChain);
        BackendFacts facts = new BackendFacts(listener.name(), effective, obs.bytesFromBackend, obs.firstBytes, obs.offered,
                obs.serverHelloSeen, obs.certificateRequestSeen, obs.handshakeComplete, obs.alertReceived, obs.alertSent,
                obs.engineError, obs.verifier, chain, obs.serverName, tls.clientCertificateConfigured(), probed, tls.policy(),
                Instant.now());
        Diagnosis d = diagnoser.diagnose(facts).orElse(null);
        if (d == null) {
            return false;
        }

        obs.reported = true;
        if (obs.receivedChain != null) {
            seen.seen(obs.receivedChain);
        }
        metrics.failure(listener.name(), Leg.BACKEND.label(), listener.mode(), d, obs.elapsedSeconds());
        ConnectionInfo info = new ConnectionInfo(listener.name(), Leg.BACKEND.label(), listener.mode(),
                frontend.id().asShortText(), ClientAddress.of(frontend).sourceText(), listener.settings().backend().address().toString());
        Map<String, Object> event = FailureEvent.of(info, d, Math.round(obs.elapsedSeconds() * 1000),
                obs.engineError.verbatim(), obs.offered, obs.negotiatedProtocol, obs.negotiatedCipher,
                chain == null ? 0 : chain.chain().size());
        log.log(event, d.cause() == Cause.INTERNAL_ERROR ? obs.internalFailure : null);
        return true;
    }
}
