package io.tlslens.proxy.terminate;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.diagnosis.Diagnoser;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.policy.ClientOffer;
import io.tlslens.inspector.policy.Judgement;
import io.tlslens.inspector.policy.PolicyJudge;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ServerFlight;
import io.tlslens.proxy.conn.ClientAddress;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.telemetry.ClientHelloSeen;
import io.tlslens.proxy.telemetry.Failure;
import io.tlslens.proxy.tls.ServedCertificate;

import java.time.Instant;
import java.util.List;

/**
 * Turns a terminated connection's {@link FrontendObservation} into its outcome, once, and publishes it
 * to the listener's outcome sink: a success, an empty connection, an abandoned handshake, or a failure diagnosed by the
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

    /** Counts our HelloRetryRequest, by the group it asked for (-1: none named). */
    void helloRetryRequest(int group) {
        listener.outcomes().helloRetryRequest(Leg.FRONTEND, group);
    }

    /**
     * Counts the resumption outcome once our flight has shown it: accepted when the session was resumed,
     * rejected when the client tried to resume and got a full handshake.
     */
    void resumption(FrontendObservation obs) {
        Boolean resumed = obs.resumptionOutcome(obs.client.last());
        if (resumed != null) {
            listener.outcomes().resumption(Leg.FRONTEND, resumed);
        }
    }

    /**
     * Whether the listener must refuse this ClientHello with {@code no_application_protocol} (RFC 7301 §3.2): it
     * has {@code tls.alpn}, the client offered ALPN sharing nothing with it, and nothing the judgement checks
     * first (version, cipher suite, group, signature scheme) fails already. The engine would instead answer
     * without ALPN.
     *
     * @param hello the client's ClientHello
     * @return true when the judgement's verdict is {@code ALPN_MISMATCH}
     */
    boolean alpnMismatch(ClientHello hello) {
        List<String> alpn = listener.settings().tls().alpn();
        if (alpn.isEmpty() || hello.alpn().isEmpty() || hello.alpn().stream().anyMatch(alpn::contains)) {
            return false;
        }
        ServedCertificate served = listener.tls().select(hello.serverName());
        Judgement j = PolicyJudge.judge(ClientOffer.of(hello), listener.tls().policy(), served.currentAnalysis().leafKey(),
                alpn, "listener '" + listener.name() + "'");
        return j.verdict() == Judgement.Verdict.ALPN_MISMATCH;
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
                // completed, then closed with no byte and no definite problem: a health check or a client that
                // only wanted the handshake, neither a failure nor a served connection
                listener.outcomes().abandoned(Leg.FRONTEND);
            } else {
                listener.outcomes().empty();
            }
            return;
        }
        ChainAnalysis chain = facts.servedChain();
        listener.outcomes().failure(new Failure(
                listener.connection(ch, Leg.FRONTEND, listener.settings().backend().address().toString()), d,
                obs.elapsedSeconds(), obs.engineError().verbatim(), ClientHelloSeen.of(obs.client.hello(), obs.client.arrival(),
                obs.serverFlight().helloRetryRequest(), obs.serverFlight().helloRetryGroup()), obs.negotiatedProtocol,
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
        listener.outcomes().success(Leg.FRONTEND, obs.negotiatedProtocol, obs.negotiatedCipher,
                obs.serverFlight().resumed() == ServerFlight.Resumed.YES, obs.handshakeSeconds());
    }

    private HandshakeFacts facts(Channel ch, FrontendObservation obs, Ending ending) {
        ClientHello hello = obs.client.hello();
        String sni = hello == null ? null : hello.serverName();
        ServedCertificate chosen = ch.attr(ServedCertificate.KEY).get();
        ServedCertificate served = chosen != null ? chosen : listener.tls().select(sni);
        String requested = sni != null ? sni : ClientAddress.localHost(ch);
        Ending effective = obs.internalFailure != null ? Ending.INTERNAL_FAILURE : ending;
        return HandshakeFacts.builder()
                .listener(listener.name())
                .leg(Leg.FRONTEND)
                .ending(effective)
                .bytesFromPeer(obs.peerBytes())
                .firstBytes(obs.client.firstBytes())
                .clientHello(hello)
                .malformed(obs.malformed)
                .partialRecord(obs.partialRecord)
                .serverFlightSent(obs.serverFlightSent)
                .handshakeComplete(obs.handshakeComplete)
                .alertReceived(obs.alertReceived())
                .alertSent(obs.alertSent())
                .engineError(obs.engineError())
                .policy(listener.tls().policy())
                .servedChain(served.currentAnalysis())
                .requestedName(requested)
                .requireSni(listener.settings().tls().requireSni())
                .now(Instant.now())
                .clientVerifier(obs.clientVerifier)
                .alpn(listener.settings().tls().alpn())
                .build();
    }
}
