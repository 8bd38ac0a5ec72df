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
}
