package io.tlslens.proxy.terminate;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloArrival;
import io.tlslens.inspector.wire.ServerFlight;
import io.tlslens.proxy.conn.Observation;

/**
 * What the record tap and the TLS engine observed about one terminated connection's frontend
 * handshake, beyond what every leg records ({@link Observation}). Mutable, confined to the
 * connection's event loop.
 */
final class FrontendObservation extends Observation {
    byte[] firstBytes;
    ClientHello clientHello;
    /** How the first ClientHello arrived. */
    ClientHelloArrival helloArrival;
    /** The client's latest ClientHello (the second one after a HelloRetryRequest). */
    ClientHello lastHello;
    /** Our server flight as it went out: HelloRetryRequest, resumption. */
    final ServerFlight serverFlight = new ServerFlight();
    /** Whether the resumption outcome was counted. */
    boolean resumptionCounted;
    HandshakeFacts.Malformed malformed;
    HandshakeFacts.PartialRecord partialRecord;
    boolean serverFlightSent;
    boolean handshakeComplete;
    long handshakeCompleteNanos;
    Throwable internalFailure;
    /** Our verifier's refusal of the client's certificate (mTLS), or null. */
    VerifierResult clientVerifier;
    String negotiatedProtocol;
    String negotiatedCipher;

    /** @return the frontend observation of a terminated client channel */
    public static FrontendObservation of(Channel ch) {
        return (FrontendObservation) Observation.of(ch);
    }

    /** @return seconds from the client's first byte to handshake completion */
    double handshakeSeconds() {
        return secondsUntil(handshakeCompleteNanos);
    }

    Ending defaultEnding() {
        return handshakeComplete ? Ending.CLOSED_AFTER_HANDSHAKE : Ending.PEER_CLOSED;
    }
}
