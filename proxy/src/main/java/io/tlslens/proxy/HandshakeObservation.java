package io.tlslens.proxy;

import io.netty.util.AttributeKey;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.wire.ClientHello;

/**
 * What the record taps and the TLS engine observed about one connection's frontend handshake.
 * Mutable, confined to the connection's event loop. The first decisive observation wins: setters
 * for alerts and errors keep the first value.
 */
final class HandshakeObservation extends HandshakeSignals {
    /** Channel attribute holding a connection's observation. */
    static final AttributeKey<HandshakeObservation> KEY = AttributeKey.valueOf("tlslens.observation");

    final long startNanos = System.nanoTime();
    long firstByteNanos;
    long bytesFromClient;
    byte[] firstBytes;
    ClientHello clientHello;
    HandshakeFacts.Malformed malformed;
    HandshakeFacts.PartialRecord partialRecord;
    boolean serverFlightSent;
    boolean handshakeComplete;
    long handshakeCompleteNanos;
    Throwable internalFailure;
    /** Our verifier's refusal of the client's certificate (mTLS), or null. */
    io.tlslens.inspector.cert.VerifierResult clientVerifier;
    String negotiatedProtocol;
    String negotiatedCipher;
    /** Set once the outcome (success or failure) has been reported. */
    boolean reported;

    void clientBytes(int n) {
        if (bytesFromClient == 0 && n > 0) {
            firstByteNanos = System.nanoTime();
        }
        bytesFromClient += n;
    }

    /** @return seconds from the first client byte (or accept) to now */
    double elapsedSeconds() {
        long from = firstByteNanos != 0 ? firstByteNanos : startNanos;
        return (System.nanoTime() - from) / 1e9;
    }

    /** @return seconds from the first client byte to handshake completion */
    double handshakeSeconds() {
        long from = firstByteNanos != 0 ? firstByteNanos : startNanos;
        return (handshakeCompleteNanos - from) / 1e9;
    }

    Ending defaultEnding() {
        return handshakeComplete ? Ending.CLOSED_AFTER_HANDSHAKE : Ending.PEER_CLOSED;
    }
}
