package io.tlslens.inspector.wire;

/**
 * Decodes a CertificateStatus handshake message body (type 22, RFC 6066 §8): the OCSP response a TLS ≤ 1.2
 * server staples after its Certificate message. (TLS 1.3 carries it, encrypted, in the leaf's
 * CertificateEntry.)
 */
public final class CertificateStatusDecoder {
    private CertificateStatusDecoder() {
    }

    /** status_type ocsp (1). */
    public static final int OCSP = 1;

    /**
     * @param body the handshake message body (after the 4-byte handshake header)
     * @return the DER-encoded OCSPResponse (RFC 6960 §4.2.1), not parsed
     * @throws MalformedHandshakeException with the byte offset within {@code body}: a status_type other than
     *                                     ocsp (1), an empty or truncated response, trailing bytes
     */
    public static byte[] decodeOcspResponse(byte[] body) throws MalformedHandshakeException {
        Bytes b = new Bytes(body, 0, body.length);
        int type = b.u8("status_type");
        if (type != OCSP) {
            throw new MalformedHandshakeException(0, "status_type " + type + " is not ocsp (1)");
        }
        int len = b.u24("OCSPResponse length");
        if (len == 0) {
            throw new MalformedHandshakeException(1, "empty OCSPResponse");
        }
        byte[] der = b.bytes(len, "OCSPResponse");
        if (b.remaining() != 0) {
            throw new MalformedHandshakeException(b.offset(), b.remaining() + " trailing bytes");
        }
        return der;
    }
}
