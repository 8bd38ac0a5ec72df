package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;

import java.time.Instant;

/**
 * What was observed about one backend-leg handshake, where tlslens is the TLS client: the input of
 * {@link BackendDiagnoser} (docs/diagnosis.md "Backend leg").
 *
 * @param listener                    listener name
 * @param ending                      how the observation ended
 * @param bytesFromBackend            bytes the backend sent
 * @param firstBytes                  the backend's first bytes (up to 16) when they were not a TLS record, else null
 * @param offered                     the ClientHello tlslens sent, or null when none was seen
 * @param serverHelloSeen             whether a ServerHello arrived
 * @param certificateRequestSeen      whether the backend asked for a client certificate (visible in TLS ≤ 1.2)
 * @param handshakeComplete           whether the engine completed the handshake
 * @param alertReceived               the first alert the backend sent, or null
 * @param alertSent                   the first alert tlslens sent, or null
 * @param engineError                 the engine's error
 * @param verifier                    our verifier's decision on the backend's chain, or null when it did not run
 * @param receivedChain               analysis of the chain as the backend sent it (its trust anchors = backend.tls.trust), or null
 * @param serverName                  the name sent as SNI and verified, or null
 * @param clientCertificateConfigured whether tlslens had a client certificate to send
 * @param probed                      what the backend accepts, from tlslens' own probe, or null when unknown
 * @param policy                      what tlslens offered the backend (its backend policy as the engine serves it)
 * @param now                         time of judgement
 */
public record BackendFacts(String listener, Ending ending, long bytesFromBackend, byte[] firstBytes, ClientHello offered,
                           boolean serverHelloSeen, boolean certificateRequestSeen, boolean handshakeComplete,
                           Alert alertReceived, Alert alertSent, EngineError engineError, VerifierResult verifier,
                           ChainAnalysis receivedChain, String serverName, boolean clientCertificateConfigured,
                           ProbedBackend probed, TlsPolicy policy, Instant now) {
    public BackendFacts {
        firstBytes = firstBytes == null ? null : firstBytes.clone();
        engineError = engineError == null ? EngineError.NONE : engineError;
    }

    /** @return a copy of the first bytes, or null */
    @Override
    public byte[] firstBytes() {
        return firstBytes == null ? null : firstBytes.clone();
    }
}
