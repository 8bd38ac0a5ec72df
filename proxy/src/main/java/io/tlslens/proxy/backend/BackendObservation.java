package io.tlslens.proxy.backend;

import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.proxy.conn.Observation;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the backend tap, the verifier and the engine observed about one backend-leg handshake (tlslens
 * is the client), beyond what every leg records ({@link Observation}). Mutable, confined to the
 * connection's event loop.
 */
final class BackendObservation extends Observation {
    final String serverName;
    byte[] firstBytes;
    ClientHello offered;
    boolean serverHelloSeen;
    boolean certificateRequestSeen;
    boolean handshakeComplete;
    long handshakeCompleteNanos;
    VerifierResult verifier;
    List<X509Certificate> receivedChain;
    String negotiatedProtocol;
    String negotiatedCipher;
    Throwable internalFailure;

    /** @param serverName the SNI sent and the name verified, or null */
    BackendObservation(String serverName) {
        this.serverName = serverName;
    }

    /** @return seconds from the connect to handshake completion */
    double handshakeSeconds() {
        return (handshakeCompleteNanos - startNanos()) / 1e9;
    }
}
