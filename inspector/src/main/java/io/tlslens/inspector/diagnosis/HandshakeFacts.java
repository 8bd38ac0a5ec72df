package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;

import java.time.Instant;
import java.util.List;

/**
 * Everything observed about one handshake, the diagnoser's only input (docs/diagnosis.md).
 *
 * @param listener          listener name
 * @param leg               which leg
 * @param ending            how the observation ended
 * @param bytesFromPeer     bytes received from the peer before the end (0 = empty connection)
 * @param firstBytes        the first bytes (up to 16) when they were not a TLS record, else null
 * @param clientHello       the decoded ClientHello, or null when none completed
 * @param malformed         why the peer's records could not be decoded, or null
 * @param partialRecord     the record that had arrived only in part when the observation ended, or null
 * @param serverFlightSent  whether the server's first flight (ServerHello …) had been sent
 * @param handshakeComplete whether the TLS engine reported the handshake complete
 * @param alertReceived     the first fatal or closing alert received from the peer (plaintext on the
 *                          wire, or reported by the engine), or null
 * @param alertSent         the first alert tlslens sent, or null
 * @param engineError       the engine's error, {@link EngineError#NONE} when none
 * @param policy            the listener's effective policy (what the engine was configured with)
 * @param servedChain       analysis of the certificate chain served for this connection's SNI, or null
 * @param requestedName     the SNI, or without SNI the local address the client connected to; may be null
 * @param requireSni        whether the listener requires {@code server_name}
 * @param now               the time to judge certificate validity at
 * @param clientVerifier    our verifier's decision on the client's certificate (mTLS), or null when it did not run
 * @param alpn              the listener's ALPN protocol IDs ({@code tls.alpn}) in its order; empty = no ALPN
 */
public record HandshakeFacts(String listener, Leg leg, Ending ending, long bytesFromPeer, byte[] firstBytes,
                             ClientHello clientHello, Malformed malformed, PartialRecord partialRecord,
                             boolean serverFlightSent, boolean handshakeComplete, Alert alertReceived, Alert alertSent,
                             EngineError engineError, TlsPolicy policy, ChainAnalysis servedChain,
                             String requestedName, boolean requireSni, Instant now, VerifierResult clientVerifier,
                             List<String> alpn) {

    public HandshakeFacts {
        firstBytes = firstBytes == null ? null : firstBytes.clone();
        engineError = engineError == null ? EngineError.NONE : engineError;
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
    }

    /** @return a copy of the first bytes, or null */
    @Override
    public byte[] firstBytes() {
        return firstBytes == null ? null : firstBytes.clone();
    }

    /**
     * Undecodable input.
     *
     * @param offset stream offset in bytes where decoding failed
     * @param reason what was wrong
     */
    public record Malformed(long offset, String reason) {
    }

    /**
     * A record, or a ClientHello spread over several records, that arrived only in part.
     *
     * @param receivedBytes      bytes of the incomplete record that arrived (header included), 0 when every record
     *                           that came was complete
     * @param expectedBytes      that record's full size including its 5-byte header, or -1 when the header itself
     *                           was cut or no record is incomplete
     * @param helloReceivedBytes bytes of the ClientHello handshake message that arrived (4-byte header included),
     *                           0 when none or unknown
     * @param helloExpectedBytes the ClientHello's full size (header included), or -1 when unknown
     */
    public record PartialRecord(int receivedBytes, int expectedBytes, int helloReceivedBytes, int helloExpectedBytes) {
        /** A record cut short, nothing known of the ClientHello inside it. */
        public PartialRecord(int receivedBytes, int expectedBytes) {
            this(receivedBytes, expectedBytes, 0, -1);
        }

        /**
         * Adds the evidence ({@code partial_record_bytes}, {@code partial_record_expected},
         * {@code client_hello_bytes_received}, {@code client_hello_bytes_expected}, {@code mtu_suspected}) and
         * returns the clause for the summary, naming the sizes and the path-MTU suspicion.
         *
         * @param ev the evidence being built
         * @return "; …" to append to a summary
         */
        public String note(java.util.Map<String, String> ev) {
            StringBuilder s = new StringBuilder("; ");
            if (helloExpectedBytes > 0) {
                ev.put("client_hello_bytes_received", Integer.toString(helloReceivedBytes));
                ev.put("client_hello_bytes_expected", Integer.toString(helloExpectedBytes));
                s.append("the ClientHello (").append(helloExpectedBytes).append(" bytes) arrived only in part (")
                        .append(helloReceivedBytes).append(" bytes");
                if (receivedBytes > 0) {
                    s.append(", the last TLS record ").append(receivedBytes)
                            .append(expectedBytes > 0 ? " of " + expectedBytes : "").append(" bytes");
                }
                s.append(")");
            } else {
                s.append("a TLS record arrived only in part (").append(receivedBytes)
                        .append(expectedBytes > 0 ? " of " + expectedBytes : "").append(" bytes)");
            }
            if (receivedBytes > 0) {
                ev.put("partial_record_bytes", Integer.toString(receivedBytes));
                ev.put("partial_record_expected", Integer.toString(expectedBytes));
            }
            ev.put("mtu_suspected", "true");
            s.append(" and the rest never came: a path-MTU or fragmentation stall is likely");
            if (helloExpectedBytes > 1200) {
                s.append(" (a ClientHello this large, e.g. with a post-quantum key share, spans several TCP segments;"
                        + " a path that drops the large ones lets only the first through)");
            }
            return s.toString();
        }
    }

    /** @return a builder; components not set are null, false, 0 (or, for the engine error, none) */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link HandshakeFacts} by component name, for call sites that would otherwise pass 20 values by position. */
    public static final class Builder {
        private String listener;
        private Leg leg;
        private Ending ending;
        private long bytesFromPeer;
        private byte[] firstBytes;
        private ClientHello clientHello;
        private Malformed malformed;
        private PartialRecord partialRecord;
        private boolean serverFlightSent;
        private boolean handshakeComplete;
        private Alert alertReceived;
        private Alert alertSent;
        private EngineError engineError;
        private TlsPolicy policy;
        private ChainAnalysis servedChain;
        private String requestedName;
        private boolean requireSni;
        private Instant now;
        private VerifierResult clientVerifier;
        private List<String> alpn;

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
         * @param value which leg
         * @return this builder
         */
        public Builder leg(Leg value) {
            this.leg = value;
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
         * @param value bytes received from the peer before the end (0 = empty connection)
         * @return this builder
         */
        public Builder bytesFromPeer(long value) {
            this.bytesFromPeer = value;
            return this;
        }

        /**
         * @param value the first bytes (up to 16) when they were not a TLS record, else null
         * @return this builder
         */
        public Builder firstBytes(byte[] value) {
            this.firstBytes = value;
            return this;
        }

        /**
         * @param value the decoded ClientHello, or null when none completed
         * @return this builder
         */
        public Builder clientHello(ClientHello value) {
            this.clientHello = value;
            return this;
        }

        /**
         * @param value why the peer's records could not be decoded, or null
         * @return this builder
         */
        public Builder malformed(Malformed value) {
            this.malformed = value;
            return this;
        }

        /**
         * @param value the record that had arrived only in part when the observation ended, or null
         * @return this builder
         */
        public Builder partialRecord(PartialRecord value) {
            this.partialRecord = value;
            return this;
        }

        /**
         * @param value whether the server's first flight (ServerHello …) had been sent
         * @return this builder
         */
        public Builder serverFlightSent(boolean value) {
            this.serverFlightSent = value;
            return this;
        }

        /**
         * @param value whether the TLS engine reported the handshake complete
         * @return this builder
         */
        public Builder handshakeComplete(boolean value) {
            this.handshakeComplete = value;
            return this;
        }

        /**
         * @param value the first fatal or closing alert received from the peer (plaintext on the * wire, or reported by the engine), or null
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
         * @param value the engine's error, {@link EngineError#NONE} when none
         * @return this builder
         */
        public Builder engineError(EngineError value) {
            this.engineError = value;
            return this;
        }

        /**
         * @param value the listener's effective policy (what the engine was configured with)
         * @return this builder
         */
        public Builder policy(TlsPolicy value) {
            this.policy = value;
            return this;
        }

        /**
         * @param value analysis of the certificate chain served for this connection's SNI, or null
         * @return this builder
         */
        public Builder servedChain(ChainAnalysis value) {
            this.servedChain = value;
            return this;
        }

        /**
         * @param value the SNI, or without SNI the local address the client connected to; may be null
         * @return this builder
         */
        public Builder requestedName(String value) {
            this.requestedName = value;
            return this;
        }

        /**
         * @param value whether the listener requires {@code server_name}
         * @return this builder
         */
        public Builder requireSni(boolean value) {
            this.requireSni = value;
            return this;
        }

        /**
         * @param value the time to judge certificate validity at
         * @return this builder
         */
        public Builder now(Instant value) {
            this.now = value;
            return this;
        }

        /**
         * @param value our verifier's decision on the client's certificate (mTLS), or null when it did not run
         * @return this builder
         */
        public Builder clientVerifier(VerifierResult value) {
            this.clientVerifier = value;
            return this;
        }

        /**
         * @param value the listener's ALPN protocol IDs ({@code tls.alpn}) in its order; empty = no ALPN
         * @return this builder
         */
        public Builder alpn(List<String> value) {
            this.alpn = value;
            return this;
        }

        /** @return the facts */
        public HandshakeFacts build() {
            return new HandshakeFacts(listener, leg, ending, bytesFromPeer, firstBytes, clientHello, malformed, partialRecord, serverFlightSent, handshakeComplete, alertReceived, alertSent, engineError, policy, servedChain, requestedName, requireSni, now, clientVerifier, alpn);
        }
    }
}
