package io.tlslens.inspector.diagnosis;

import java.util.Locale;

/**
 * The probable root cause of one failed handshake: the stable codes of the cause taxonomy in
 * docs/. {@link #code()} is the value of the {@code cause} metric label and log field.
 */
public enum Cause {
    /** No TLS version both sides accept. */
    PROTOCOL_VERSION_MISMATCH,
    /** Versions overlap, cipher suites do not (for the certificate's key). */
    NO_SHARED_CIPHER,
    /** No common key-exchange group or signature scheme. */
    NO_SHARED_GROUP,
    /** ALPN configured, and the peer's protocol list shares nothing with it (alert no_application_protocol, 120). */
    ALPN_MISMATCH,
    /** No {@code server_name} sent where the listener needs it. */
    SNI_MISSING,
    /** {@code server_name} matches no configured certificate and no default applies. */
    SNI_UNKNOWN,
    /** The presented leaf or an intermediate is past notAfter. */
    CERTIFICATE_EXPIRED,
    /** The presented leaf or an intermediate is before notBefore. */
    CERTIFICATE_NOT_YET_VALID,
    /** The requested name is not covered by the leaf's SANs (RFC 6125). */
    CERTIFICATE_HOSTNAME_MISMATCH,
    /** An intermediate is missing or out of order. */
    CERTIFICATE_CHAIN_INCOMPLETE,
    /** Self-signed, or a private CA the verifier does not trust. */
    CERTIFICATE_UNTRUSTED,
    /** On a CRL, or OCSP says revoked. */
    CERTIFICATE_REVOKED,
    /** mTLS required, no client certificate sent. */
    CLIENT_CERTIFICATE_MISSING,
    /** Client certificate sent but not accepted. */
    CLIENT_CERTIFICATE_REJECTED,
    /** The client spoke plain HTTP to a TLS listener. */
    PLAINTEXT_HTTP_TO_TLS_PORT,
    /** The peer's first bytes are not a TLS record. */
    NOT_TLS,
    /** No completion within the handshake timeout. */
    HANDSHAKE_TIMEOUT,
    /** The peer closed or reset during the handshake without an alert. */
    PEER_CLOSED,
    /** The peer sent a fatal alert that no more specific cause explains. */
    PEER_ALERT,
    /** Undecodable record or handshake message. */
    MALFORMED_HANDSHAKE,
    /** Backend TCP connect refused (RST). */
    BACKEND_CONNECT_REFUSED,
    /** Backend TCP connect did not complete within connect-timeout. */
    BACKEND_CONNECT_TIMEOUT,
    /** Backend address unreachable or unresolvable. */
    BACKEND_UNREACHABLE,
    /** tlslens itself failed. */
    INTERNAL_ERROR;

    /** @return the stable lower-case code, e.g. {@code protocol_version_mismatch} */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
