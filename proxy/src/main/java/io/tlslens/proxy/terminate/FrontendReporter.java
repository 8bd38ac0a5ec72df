package io.tlslens.proxy.terminate;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.diagnosis.Diagnoser;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.proxy.conn.ClientAddress;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.telemetry.Failure;
import io.tlslens.proxy.tls.ServedCertificate;

import java.time.Instant;

/**
 * Turns a terminated connection's {@link FrontendObservation} into its outcome, once, and publishes it
 * to the listener's outcome sink: a success, an empty connection, or a failure diagnosed by the
 * {@link Diagnoser} from the facts of the frontend leg.
 */
final class FrontendReporter {
    private final ListenerContext listener;
    private final Diagnoser diagnoser;

    /**
     * @param listener  the listener (its settings, served certificates and outcome sink)
     * @param diagnoser the frontend diagnoser
     */
    FrontendReporter(ListenerContext listener, Diagnoser diagnoser) {
        this.listener = listener;
        this.diagnoser = diagnoser;
    }

    /** Publishes a decoded ClientHello (counted by highest offered version and SNI presence). */
    void clientHello(ClientHello hello) {
        listener.outcomes().clientHello(hello);
    }

    /**
     * Reports the end of a handshake that did not (yet) succeed; nothing when the outcome was already
     * published.
     *
     * @param ch     the client channel
     * @param ending how the observation ended
     */
    void fail(Channel ch, Ending ending) {
        FrontendObservation obs = FrontendObservation.of(ch);
        if (obs == null || !obs.publishOnce()) {
            return;
        }
        HandshakeFacts facts = facts(ch, obs, ending);
        Diagnosis d = diagnoser.diagnose(facts).orElse(null);
        if (d == null) {
            if (ending == Ending.CLOSED_AFTER_HANDSHAKE) {
                countSuccess(obs);
            } else {
                listener.outcomes().empty();
            }
            return;
        }
        ChainAnalysis chain = facts.servedChain();
        listener.outcomes().failure(new Failure(
                listener.connection(ch, Leg.FRONTEND, listener.settings().backend().address().toString()), d,
                obs.elapsedSeconds(), obs.engineError().verbatim(), obs.clientHello, obs.negotiatedProtocol,
                obs.negotiatedCipher, chain == null ? 0 : chain.chain().size(), obs.internalFailure));
    }

    /** Reports a handshake confirmed by application data; nothing when the outcome was already published. */
    void succeed(Channel ch) {
        FrontendObservation obs = FrontendObservation.of(ch);
        if (obs != null && obs.publishOnce()) {
            countSuccess(obs);
        }
    }

    private void countSuccess(FrontendObservation obs) {
        listener.outcomes().success(Leg.FRONTEND, obs.negotiatedProtocol, obs.negotiatedCipher, false, obs.handshakeSeconds());
    }

    private HandshakeFacts facts(Channel ch, FrontendObservation obs, Ending ending) {
        ClientHello hello = obs.clientHello;
        String sni = hello == null ? null : hello.serverName();
        ServedCertificate chosen = ch.attr(ServedCertificate.KEY).get();
        ServedCertificate served = chosen != null ? chosen : listener.tls().select(sni);
        String requested = sni != null ? sni : ClientAddress.localHost(ch);
        Ending effective = obs.internalFailure != null ? Ending.INTERNAL_FAILURE : ending;
        return new HandshakeFacts(listener.name(), Leg.FRONTEND, effective, obs.peerBytes(), obs.firstBytes, hello,
                obs.malformed, obs.partialRecord, obs.serverFlightSent, obs.handshakeComplete, obs.alertReceived(),
                obs.alertSent(), obs.engineError(), listener.tls().policy(), served.currentAnalysis(), requested,
                listener.settings().tls().requireSni(), Instant.now(), obs.clientVerifier, listener.settings().tls().alpn());
    }
}
