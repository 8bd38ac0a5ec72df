package io.tlslens.proxy.backend;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.diagnosis.BackendDiagnoser;
import io.tlslens.inspector.diagnosis.BackendFacts;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.diagnosis.ProbedBackend;
import io.tlslens.inspector.wire.ServerFlight;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.telemetry.ClientHelloSeen;
import io.tlslens.proxy.telemetry.Failure;
import io.tlslens.proxy.telemetry.SeenCertificateGauges;
import io.tlslens.proxy.tls.BackendTlsContext;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Turns backend-leg observations of one listener into outcomes published to its outcome sink: successes,
 * failures diagnosed by the {@link BackendDiagnoser} (with the frontend connection's id), and the expiry
 * of every backend certificate seen. When the backend refused our ClientHello, what it accepts is asked
 * of the {@link BackendProbe} (cached, off the event loop) before the diagnosis.
 */
final class BackendReporter {
    private final ListenerContext listener;
    private final BackendTlsContext tls;
    private final BackendDiagnoser diagnoser = new BackendDiagnoser();
    private final SeenCertificateGauges seen;
    private final BackendProbe probe;

    /**
     * @param listener the listener
     * @param tls      its backend TLS context
     * @param probe    learns what a backend accepts when it refused our ClientHello; null to skip
     */
    BackendReporter(ListenerContext listener, BackendTlsContext tls, BackendProbe probe) {
        this.listener = listener;
        this.tls = tls;
        this.probe = probe;
        this.seen = new SeenCertificateGauges(listener.metrics(), listener.name(), 256);
    }

    /** Publishes the expiry of a chain the backend sent. */
    void chainSeen(List<X509Certificate> chain) {
        seen.seen(chain);
    }

    /** Counts one OCSP check of a backend certificate: {@code good}, {@code revoked} or {@code unavailable}. */
    void revocationChecked(String result) {
        listener.outcomes().revocationCheck(Leg.BACKEND, "ocsp", result);
    }

    /** Counts the backend's HelloRetryRequest (RFC 8446 §4.1.4), by the group it asked for (-1: none named). */
    void helloRetryRequest(int group) {
        listener.outcomes().helloRetryRequest(Leg.BACKEND, group);
    }

    /**
     * Counts the resumption outcome once the backend's flight has shown it: accepted when it resumed the session
     * we offered, rejected when we offered one and got a full handshake; nothing when we offered none.
     */
    void resumption(BackendObservation obs) {
        Boolean resumed = obs.resumptionOutcome(obs.offered);
        if (resumed != null) {
            listener.outcomes().resumption(Leg.BACKEND, resumed);
        }
    }

    /** Counts a backend handshake confirmed by application data, once. */
    void succeed(BackendObservation obs) {
        if (obs.publishOnce()) {
            boolean resumed = obs.serverFlight().resumed() == ServerFlight.Resumed.YES;
            listener.outcomes().success(Leg.BACKEND, obs.negotiatedProtocol, obs.negotiatedCipher, resumed, obs.handshakeSeconds());
        }
    }

    /** A completed handshake whose connection closed before any backend data: a success unless an alert says otherwise. */
    void closedAfterHandshake(BackendObservation obs, Channel frontend) {
        if (!report(obs, frontend, Ending.CLOSED_AFTER_HANDSHAKE)) {
            succeed(obs);
        }
    }

    /** Reports a failed backend handshake, once. */
    void fail(BackendObservation obs, Channel frontend, Ending ending) {
        report(obs, frontend, ending);
    }

    /**
     * An OCSP "revoked" that arrived after the connection ended: the connection was served, and it is
     * still counted and logged against it (the checker keeps the answer, so later connections are refused).
     */
    void lateRevocation(BackendObservation obs, Channel frontend) {
        obs.handshakeComplete = false; // judged as the refusal it would have been
        diagnoseAndPublish(obs, frontend, Ending.ENGINE_FAILURE, null, true);
    }

    private boolean report(BackendObservation obs, Channel frontend, Ending ending) {
        if (obs.published()) {
            return true;
        }
        if (probe != null && refusedOurHello(obs)) {
            // what does the backend accept? Ask it once (cached), off this event loop, then report
            obs.publishOnce();
            probe.probe(listener.backendAddress(), obs.serverName).whenComplete((probed, error) ->
                    frontend.eventLoop().execute(() -> diagnoseAndPublish(obs, frontend, ending,
                            error == null ? probed : null, true)));
            return true;
        }
        return diagnoseAndPublish(obs, frontend, ending, null, false);
    }

    /** An alert (or our refusal) right after our ClientHello: a version or cipher mismatch the probe can settle. */
    private static boolean refusedOurHello(BackendObservation obs) {
        return !obs.serverHelloSeen && !obs.handshakeComplete && obs.offered != null && obs.firstBytes == null
                && (obs.alertReceived() != null || obs.engineError().is("UNSUPPORTED_PROTOCOL", "NO_SHARED_CIPHER"));
    }

    private boolean diagnoseAndPublish(BackendObservation obs, Channel frontend, Ending ending, ProbedBackend probed,
                                       boolean alreadyMarked) {
        Ending effective = obs.internalFailure != null ? Ending.INTERNAL_FAILURE : ending;
        ChainAnalysis chain = obs.receivedChain == null || obs.receivedChain.isEmpty() ? null
                : tls.analyzer().analyze(obs.receivedChain);
        BackendFacts facts = BackendFacts.builder()
                .listener(listener.name())
                .ending(effective)
                .bytesFromBackend(obs.peerBytes())
                .firstBytes(obs.firstBytes)
                .offered(obs.offered)
                .serverHelloSeen(obs.serverHelloSeen)
                .certificateRequestSeen(obs.certificateRequestSeen)
                .handshakeComplete(obs.handshakeComplete)
                .alertReceived(obs.alertReceived())
                .alertSent(obs.alertSent())
                .engineError(obs.engineError())
                .verifier(obs.verifier)
                .receivedChain(chain)
                .serverName(obs.serverName)
                .clientCertificateConfigured(tls.clientCertificateConfigured())
                .probed(probed)
                .policy(tls.policy())
                .now(Instant.now())
                .build();
        Diagnosis d = diagnoser.diagnose(facts).orElse(null);
        if (d == null) {
            return false;
        }
        if (!alreadyMarked && !obs.publishOnce()) {
            return true;
        }
        if (obs.receivedChain != null) {
            seen.seen(obs.receivedChain);
        }
        listener.outcomes().failure(new Failure(
                listener.connection(frontend, Leg.BACKEND, listener.settings().backend().address().toString()), d,
                obs.elapsedSeconds(), obs.engineError().verbatim(), ClientHelloSeen.of(obs.offered), obs.negotiatedProtocol,
                obs.negotiatedCipher, chain == null ? 0 : chain.chain().size(), obs.internalFailure));
        return true;
    }
}
