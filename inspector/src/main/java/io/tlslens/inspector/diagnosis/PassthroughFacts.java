package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ServerHello;

import java.time.Instant;

/**
 * What crossed the wire of one passthrough connection (docs/diagnosis.md "Passthrough"), the input of
 * {@link PassthroughDiagnoser}. Only plaintext is decoded: ClientHello, ServerHello/HelloRetryRequest,
 * the TLS ≤ 1.2 Certificate message, plaintext alerts with their sender; after that, record types and
 * lengths, condensed into {@link ClientShape}.
 *
 * @param listener          listener name
 * @param backend           the backend chosen for this connection ({@code host:port}), or null when none
 * @param end               how the observation ended
 * @param bytesFromClient   bytes the client sent
 * @param bytesFromBackend  bytes the backend sent
 * @param clientFirstBytes  the client's first bytes when they were not TLS, else null
 * @param backendFirstBytes the backend's first bytes when they were not TLS, else null
 * @param clientHello       the client's (last) ClientHello, or null when none completed
 * @param malformed         undecodable input, or null
 * @param malformedFrom     {@code client} or {@code backend}: whose bytes were malformed, or null
 * @param partialRecord     a record that had arrived only in part at the end, or null
 * @param sniUnknown        true when no route matched the SNI and there is no default backend
 * @param serverHello       the backend's (last) ServerHello or HelloRetryRequest, or null
 * @param chainSeen         analysis of the chain in the backend's TLS ≤ 1.2 Certificate message, or null
 * @param clientAlert       the client's first plaintext alert, or null
 * @param backendAlert      the backend's first plaintext alert, or null
 * @param clientShape       what the client sent after the backend's flight
 * @param handshakeComplete whether both Finished messages went by (TLS 1.3: the client's Finished)
 * @param clientRecords     the client's records after the backend's flight, e.g. {@code change_cipher_spec(1) application_data(19)}
 * @param probe             tlslens' own probe of the backend for this SNI, or null when not made
 * @param requestedName     the SNI, or without SNI the address the client connected to; may be null
 * @param now               time of judgement
 */
public record PassthroughFacts(String listener, String backend, End end, long bytesFromClient, long bytesFromBackend,
                               byte[] clientFirstBytes, byte[] backendFirstBytes, ClientHello clientHello,
                               HandshakeFacts.Malformed malformed, String malformedFrom,
                               HandshakeFacts.PartialRecord partialRecord, boolean sniUnknown, ServerHello serverHello,
                               ChainAnalysis chainSeen, Alert clientAlert, Alert backendAlert, ClientShape clientShape,
                               boolean handshakeComplete, String clientRecords, ProbedBackend probe,
                               String requestedName, Instant now) {

    /** How a passthrough observation ended. */
    public enum End {
        /** The client closed (or reset) first. */
        CLIENT_CLOSED,
        /** The backend closed (or reset) first. */
        BACKEND_CLOSED,
        /** The listener's handshake timeout fired. */
        TIMEOUT,
        /** tlslens refused the connection itself (not TLS, SNI unknown). */
        REFUSED,
        /** tlslens failed internally. */
        INTERNAL_FAILURE
    }

    /** What the client sent after the backend's flight, judged from record types and lengths only. */
    public enum ClientShape {
        /** Nothing encrypted (yet). */
        NOTHING,
        /** One short encrypted record (a sealed alert: ≤ 24 bytes) and nothing else: the client turned the server down. */
        SEALED_ALERT,
        /** The client finished the handshake but sent no application data (at most a closing alert). */
        COMPLETED_NO_DATA,
        /** The client sent application data. */
        APPLICATION_DATA
    }

    public PassthroughFacts {
        clientFirstBytes = clientFirstBytes == null ? null : clientFirstBytes.clone();
        backendFirstBytes = backendFirstBytes == null ? null : backendFirstBytes.clone();
        clientShape = clientShape == null ? ClientShape.NOTHING : clientShape;
    }

    /** @return a copy of the client's first bytes, or null */
    @Override
    public byte[] clientFirstBytes() {
        return clientFirstBytes == null ? null : clientFirstBytes.clone();
    }

    /** @return a copy of the backend's first bytes, or null */
    @Override
    public byte[] backendFirstBytes() {
        return backendFirstBytes == null ? null : backendFirstBytes.clone();
    }

    /** @return a builder; components not set are null, false, 0 (or, for the engine error, none) */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PassthroughFacts} by component name, for call sites that would otherwise pass 22 values by position. */
    public static final class Builder {
        private String listener;
        private String backend;
        private End end;
        private long bytesFromClient;
        private long bytesFromBackend;
        private byte[] clientFirstBytes;
        private byte[] backendFirstBytes;
        private ClientHello clientHello;
        private HandshakeFacts.Malformed malformed;
        private String malformedFrom;
        private HandshakeFacts.PartialRecord partialRecord;
        private boolean sniUnknown;
        private ServerHello serverHello;
        private ChainAnalysis chainSeen;
        private Alert clientAlert;
        private Alert backendAlert;
        private ClientShape clientShape;
        private boolean handshakeComplete;
        private String clientRecords;
        private ProbedBackend probe;
        private String requestedName;
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
         * @param value the backend chosen for this connection ({@code host:port}), or null when none
         * @return this builder
         */
        public Builder backend(String value) {
            this.backend = value;
            return this;
        }

        /**
         * @param value how the observation ended
         * @return this builder
         */
        public Builder end(End value) {
            this.end = value;
            return this;
        }

        /**
         * @param value bytes the client sent
         * @return this builder
         */
        public Builder bytesFromClient(long value) {
            this.bytesFromClient = value;
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
         * @param value the client's first bytes when they were not TLS, else null
         * @return this builder
         */
        public Builder clientFirstBytes(byte[] value) {
            this.clientFirstBytes = value;
            return this;
        }

        /**
         * @param value the backend's first bytes when they were not TLS, else null
         * @return this builder
         */
        public Builder backendFirstBytes(byte[] value) {
            this.backendFirstBytes = value;
            return this;
        }

        /**
         * @param value the client's (last) ClientHello, or null when none completed
         * @return this builder
         */
        public Builder clientHello(ClientHello value) {
            this.clientHello = value;
            return this;
        }

        /**
         * @param value undecodable input, or null
         * @return this builder
         */
        public Builder malformed(HandshakeFacts.Malformed value) {
            this.malformed = value;
            return this;
        }

        /**
         * @param value {@code client} or {@code backend}: whose bytes were malformed, or null
         * @return this builder
         */
        public Builder malformedFrom(String value) {
            this.malformedFrom = value;
            return this;
        }

        /**
         * @param value a record that had arrived only in part at the end, or null
         * @return this builder
         */
        public Builder partialRecord(HandshakeFacts.PartialRecord value) {
            this.partialRecord = value;
            return this;
        }

        /**
         * @param value true when no route matched the SNI and there is no default backend
         * @return this builder
         */
        public Builder sniUnknown(boolean value) {
            this.sniUnknown = value;
            return this;
        }

        /**
         * @param value the backend's (last) ServerHello or HelloRetryRequest, or null
         * @return this builder
         */
        public Builder serverHello(ServerHello value) {
            this.serverHello = value;
            return this;
        }

        /**
         * @param value analysis of the chain in the backend's TLS ≤ 1.2 Certificate message, or null
         * @return this builder
         */
        public Builder chainSeen(ChainAnalysis value) {
            this.chainSeen = value;
            return this;
        }

        /**
         * @param value the client's first plaintext alert, or null
         * @return this builder
         */
        public Builder clientAlert(Alert value) {
            this.clientAlert = value;
            return this;
        }

        /**
         * @param value the backend's first plaintext alert, or null
         * @return this builder
         */
        public Builder backendAlert(Alert value) {
            this.backendAlert = value;
            return this;
        }

        /**
         * @param value what the client sent after the backend's flight
         * @return this builder
         */
        public Builder clientShape(ClientShape value) {
            this.clientShape = value;
            return this;
        }

        /**
         * @param value whether both Finished messages went by (TLS 1.3: the client's Finished)
         * @return this builder
         */
        public Builder handshakeComplete(boolean value) {
            this.handshakeComplete = value;
            return this;
        }

        /**
         * @param value the client's records after the backend's flight, e.g. {@code change_cipher_spec(1) application_data(19)}
         * @return this builder
         */
        public Builder clientRecords(String value) {
            this.clientRecords = value;
            return this;
        }

        /**
         * @param value tlslens' own probe of the backend for this SNI, or null when not made
         * @return this builder
         */
        public Builder probe(ProbedBackend value) {
            this.probe = value;
            return this;
        }

        /**
         * @param value the SNI, or without SNI the address the client connected to; may be null
         * @return this builder
         */
        public Builder requestedName(String value) {
            this.requestedName = value;
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
        public PassthroughFacts build() {
            return new PassthroughFacts(listener, backend, end, bytesFromClient, bytesFromBackend, clientFirstBytes, backendFirstBytes, clientHello, malformed, malformedFrom, partialRecord, sniUnknown, serverHello, chainSeen, clientAlert, backendAlert, clientShape, handshakeComplete, clientRecords, probe, requestedName, now);
        }
    }
}
