package io.tlslens.proxy.telemetry;

import io.tlslens.inspector.diagnosis.Diagnosis;

/**
 * One diagnosed handshake failure, as values: what {@link OutcomeSink#failure(Failure)} counts, logs and
 * keeps for {@code /debug/handshakes}.
 *
 * @param conn        where the connection came from and went to, and on which leg
 * @param diagnosis   the cause, summary, hints and evidence
 * @param seconds     seconds from the peer's first byte to the failure
 * @param engineError the TLS engine's error verbatim, empty when none
 * @param hello       the ClientHello of this leg (ours on the backend leg) with how it arrived, or null
 * @param protocol    the negotiated protocol (e.g. {@code TLSv1.3}), or null
 * @param cipher      the negotiated cipher suite (IANA name), or null
 * @param chainLength certificates in the chain the diagnosis judged, 0 when none
 * @param bug         tlslens' own exception when the cause is {@code internal_error}, else null
 */
public record Failure(ConnectionInfo conn, Diagnosis diagnosis, double seconds, String engineError, ClientHelloSeen hello,
                      String protocol, String cipher, int chainLength, Throwable bug) {
    public Failure {
        engineError = engineError == null ? "" : engineError;
    }
}
