package io.tlslens.proxy;

import io.netty.util.AttributeKey;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.wire.ClientHello;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the backend tap, the verifier and the engine observed about one backend-leg handshake.
 * Mutable, confined to the connection's event loop; the first alert and error win.
 */
final class BackendObservation extends HandshakeSignals {
    /** Channel attribute on the backend channel. */
    static final AttributeKey<BackendObservation> KEY = AttributeKey.valueOf("tlslens.backend-observation");

    final long startNanos = System.nanoTime();
    final String serverName;
    long bytesFromBackend;
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
    boolean reported;

    /** @param serverName the SNI sent and the name verified, or null */
    BackendObservation(String serverName) {
        this.serverName = serverName;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
