package io.tlslens.proxy.terminate;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.proxy.conn.ClientFlight;
import io.tlslens.proxy.conn.Observation;

/**
 * What the record tap and the TLS engine observed about one terminated connection's frontend
 * handshake, beyond what every leg records ({@link Observation}). Mutable, confined to the
 * connection's event loop.
 */
final class FrontendObservation extends Observation {
    /** The first records of the client: its ClientHello, how it arrived, or the bytes of a non-TLS client. */
    final ClientFlight client = new ClientFlight();
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
