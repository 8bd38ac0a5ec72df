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
    /** server_key_exchange (12), TLS ≤ 1.2. */
    public static final int SERVER_KEY_EXCHANGE = 12;
    /** certificate_request (13). */
    public static final int CERTIFICATE_REQUEST = 13;
    /** server_hello_done (14), TLS ≤ 1.2: the end of the server's first flight. */
    public static final int SERVER_HELLO_DONE = 14;
    /** certificate_status (22), TLS ≤ 1.2: the stapled OCSP response (RFC 6066 §8). */
    public static final int CERTIFICATE_STATUS = 22;
}
