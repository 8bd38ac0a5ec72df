package io.tlslens.inspector.wire;

/**
 * TLS handshake message types (RFC 8446 §4, RFC 5246 §7.4; IANA "TLS HandshakeType" registry), the
 * ones tlslens reads.
 */
public final class HandshakeType {
    private HandshakeType() {
    }

    /** client_hello (1). */
    public static final int CLIENT_HELLO = 1;
    /** server_hello (2); also carries a HelloRetryRequest in TLS 1.3. */
    public static final int SERVER_HELLO = 2;
    /** certificate (11). */
    public static final int CERTIFICATE = 11;
    /** certificate_request (13). */
    public static final int CERTIFICATE_REQUEST = 13;
}
