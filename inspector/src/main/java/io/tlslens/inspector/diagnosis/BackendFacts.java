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

    /** @return a builder; components not set are null, false, 0 (or, for the engine error, none) */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link BackendFacts} by component name, for call sites that would otherwise pass 18 values by position. */
    public static final class Builder {
        private String listener;
        private Ending ending;
        private long bytesFromBackend;
        private byte[] firstBytes;
        private ClientHello offered;
        private boolean serverHelloSeen;
        private boolean certificateRequestSeen;
        private boolean handshakeComplete;
        private Alert alertReceived;
        private Alert alertSent;
        private EngineError engineError;
        private VerifierResult verifier;
        private ChainAnalysis receivedChain;
        private String serverName;
        private boolean clientCertificateConfigured;
        private ProbedBackend probed;
        private TlsPolicy policy;
        private Instant now;

        private Builder() {
        }

        /**
         * @param value listener name
         * @return this builder
         */
        public Builder listener(String value) {
            this.listener = value;
            return this;
        }

        /**
         * @param value how the observation ended
         * @return this builder
         */
        public Builder ending(Ending value) {
            this.ending = value;
            return this;
        }

        /**
         * @param value bytes the backend sent
         * @return this builder
         */
        public Builder bytesFromBackend(long value) {
            this.bytesFromBackend = value;
            return this;
        }

        /**
         * @param value the backend's first bytes (up to 16) when they were not a TLS record, else null
         * @return this builder
         */
        public Builder firstBytes(byte[] value) {
            this.firstBytes = value;
            return this;
        }

        /**
         * @param value the ClientHello tlslens sent, or null when none was seen
         * @return this builder
         */
        public Builder offered(ClientHello value) {
            this.offered = value;
            return this;
        }

        /**
         * @param value whether a ServerHello arrived
         * @return this builder
         */
        public Builder serverHelloSeen(boolean value) {
            this.serverHelloSeen = value;
            return this;
        }

        /**
         * @param value whether the backend asked for a client certificate (visible in TLS ≤ 1.2)
         * @return this builder
         */
        public Builder certificateRequestSeen(boolean value) {
            this.certificateRequestSeen = value;
            return this;
        }

        /**
         * @param value whether the engine completed the handshake
         * @return this builder
         */
        public Builder handshakeComplete(boolean value) {
            this.handshakeComplete = value;
            return this;
        }

        /**
         * @param value the first alert the backend sent, or null
         * @return this builder
         */
        public Builder alertReceived(Alert value) {
            this.alertReceived = value;
            return this;
        }

        /**
         * @param value the first alert tlslens sent, or null
         * @return this builder
         */
        public Builder alertSent(Alert value) {
            this.alertSent = value;
            return this;
        }

        /**
         * @param value the engine's error
         * @return this builder
         */
        public Builder engineError(EngineError value) {
            this.engineError = value;
            return this;
        }

        /**
         * @param value our verifier's decision on the backend's chain, or null when it did not run
         * @return this builder
         */
        public Builder verifier(VerifierResult value) {
            this.verifier = value;
            return this;
        }

        /**
         * @param value analysis of the chain as the backend sent it (its trust anchors = backend.tls.trust), or null
         * @return this builder
         */
        public Builder receivedChain(ChainAnalysis value) {
            this.receivedChain = value;
            return this;
        }

        /**
         * @param value the name sent as SNI and verified, or null
         * @return this builder
         */
        public Builder serverName(String value) {
            this.serverName = value;
            return this;
        }

        /**
         * @param value whether tlslens had a client certificate to send
         * @return this builder
         */
        public Builder clientCertificateConfigured(boolean value) {
            this.clientCertificateConfigured = value;
            return this;
        }

        /**
         * @param value what the backend accepts, from tlslens' own probe, or null when unknown
         * @return this builder
         */
        public Builder probed(ProbedBackend value) {
            this.probed = value;
            return this;
        }

        /**
         * @param value what tlslens offered the backend (its backend policy as the engine serves it)
         * @return this builder
         */
        public Builder policy(TlsPolicy value) {
            this.policy = value;
            return this;
        }

        /**
         * @param value time of judgement
         * @return this builder
         */
        public Builder now(Instant value) {
            this.now = value;
            return this;
        }

        /** @return the facts */
        public BackendFacts build() {
            return new BackendFacts(listener, ending, bytesFromBackend, firstBytes, offered, serverHelloSeen, certificateRequestSeen, handshakeComplete, alertReceived, alertSent, engineError, verifier, receivedChain, serverName, clientCertificateConfigured, probed, policy, now);
        }
    }
}
