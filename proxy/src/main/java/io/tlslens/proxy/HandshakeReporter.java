package io.tlslens.proxy;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.Diagnoser;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.FixHints;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.diagnosis.AlertSender;
import io.tlslens.inspector.wire.ClientHello;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a connection's {@link HandshakeObservation} into its outcome, once: a success counted on
 * {@code tls_handshakes_total}, an empty connection counted apart, or a failure diagnosed by the
 * {@link Diagnoser} and reported on {@code tls_handshake_failures_total}, as a JSON log line and in
 * the recent-failures ring.
 */
final class HandshakeReporter {
    private final ListenerContext listener;
    private final Diagnoser diagnoser;
    private final ProxyMetrics metrics;
    private final FailureLog log;

    private final io.tlslens.inspector.compat.ClientHelloAggregate seenClients;

    HandshakeReporter(ListenerContext listener, Diagnoser diagnoser, ProxyMetrics metrics, FailureLog log,
                      io.tlslens.inspector.compat.ClientHelloAggregate seenClients) {
        this.seenClients = seenClients;
        this.listener = listener;
        this.diagnoser = diagnoser;
        this.metrics = metrics;
        this.log = log;
    }

    /** Counts a decoded ClientHello by its highest offered version and SNI presence. */
    void clientHello(ClientHello hello) {
        metrics.clientHello(listener.name(), hello.maxVersion(), hello.serverName() != null);
        seenClients.record(hello); // issue 5: /debug/compatibility
    }

    /**
     * Reports the end of a handshake that did not (yet) succeed. Does nothing when the outcome was
     * already reported.
     *
     * @param ch     the client channel
     * @param ending how the observation ended
     */
    void fail(Channel ch, Ending ending) {
        HandshakeObservation obs = ch.attr(HandshakeObservation.KEY).get();
        if (obs == null || obs.reported) {
            return;
        }
        obs.reported = true;
        HandshakeFacts facts = facts(ch, obs, ending);
        Diagnosis d = diagnoser.diagnose(facts).orElse(null);
        if (d == null) {
            if (ending == Ending.CLOSED_AFTER_HANDSHAKE) {
                countSuccess(obs);
            } else {
                metrics.empty(listener.name()).increment();
            }
            return;
        }
        metrics.failure(listener.name(), Leg.FRONTEND.label(), listener.mode(), d, obs.elapsedSeconds());
        ChainAnalysis chain = facts.servedChain();
        Map<String, Object> event = FailureEvent.of(info(ch, Leg.FRONTEND), d, Math.round(obs.elapsedSeconds() * 1000),
                obs.engineError.verbatim(), obs.clientHello, obs.negotiatedProtocol, obs.negotiatedCipher,
                chain == null ? 0 : chain.chain().size());
        log.log(event, d.cause() == Cause.INTERNAL_ERROR ? obs.internalFailure : null);
    }

    /** Reports a handshake confirmed by application data: counted once. */
    void succeed(Channel ch) {
        HandshakeObservation obs = ch.attr(HandshakeObservation.KEY).get();
        if (obs == null || obs.reported) {
            return;
        }
        obs.reported = true;
        countSuccess(obs);
    }

    private void countSuccess(HandshakeObservation obs) {
        metrics.handshake(listener.name(), Leg.FRONTEND.label(), listener.mode(),
                obs.negotiatedProtocol == null ? "unknown" : obs.negotiatedProtocol,
                obs.negotiatedCipher == null ? "unknown" : obs.negotiatedCipher, obs.handshakeSeconds());
    }

    /**
     * Reports a backend TCP connect failure: {@code proxy_backend_connect_failures_total} and a log
     * line shaped like a handshake failure on leg {@code backend}.
     */
    void backendConnectFailed(Channel frontend, Cause cause, Throwable error, long durationMs) {
        metrics.backendConnectFailure(listener.name(), cause);
        String summary = "could not open TCP to backend " + listener.settings().backend().address() + " for listener '"
                + listener.name() + "': " + error.getMessage();
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        evidence.put("connect_timeout_ms", Long.toString(listener.settings().backend().connectTimeout().toMillis()));
        Diagnosis d = new Diagnosis(cause, summary, FixHints.forCause(cause, Leg.BACKEND), null, AlertSender.NONE, null, null, evidence);
        log.log(FailureEvent.of(info(frontend, Leg.BACKEND), d, durationMs, "", null, null, null, 0), null);
    }

    private HandshakeFacts facts(Channel ch, HandshakeObservation obs, Ending ending) {
        ClientHello hello = obs.clientHello;
        String sni = hello == null ? null : hello.serverName();
        ServedCertificate chosen = ch.attr(ServedCertificate.KEY).get();
        ServedCertificate served = chosen != null ? chosen : listener.tls().select(sni);
        String requested = sni != null ? sni : hostOf(ch.localAddress());
        Ending effective = obs.internalFailure != null ? Ending.INTERNAL_FAILURE : ending;
        return new HandshakeFacts(listener.name(), Leg.FRONTEND, effective, obs.bytesFromClient, obs.firstBytes, hello,
                obs.malformed, obs.partialRecord, obs.serverFlightSent, obs.handshakeComplete, obs.alertReceived,
                obs.alertSent, obs.engineError, listener.tls().policy(), served.currentAnalysis(), requested,
                listener.settings().tls().requireSni(), Instant.now(), obs.clientVerifier);
    }

    private ConnectionInfo info(Channel ch, Leg leg) {
        return new ConnectionInfo(listener.name(), leg.label(), listener.mode(), ch.id().asShortText(),
                ClientAddress.of(ch).sourceText(), listener.settings().backend().address().toString());
    }

    private static String hostOf(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : null;
    }

    /** @return the served chains' summaries, for the expiry gauges */
    List<ServedCertificate> served() {
        return listener.tls().all();
    }
}
