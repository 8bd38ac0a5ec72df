package io.tlslens.inspector.wire;

/**
 * Decodes an ECDHE ServerKeyExchange body (RFC 8422 §5.4): ServerECDHParams (ECParameters + ECPoint)
 * followed by the signature. Only the named_curve form (curve_type 3) exists in practice; the explicit
 * forms are deprecated by RFC 8422 §5.4 and rejected.
 */
public final class ServerKeyExchangeDecoder {
    private ServerKeyExchangeDecoder() {
    }

    /**
     * @param body    the handshake message body (type 12, after the 4-byte header) of an ECDHE cipher suite
     * @param version the negotiated version (0x0301 … 0x0303); TLS 1.2 prefixes the signature with its scheme
     * @return the named group, public key length and signature scheme
     * @throws MalformedHandshakeException with the byte offset within {@code body}: curve_type not 3,
     *                                     empty point, truncation, bad lengths, trailing bytes
     */
    public static EcdheServerKeyExchange decodeEcdhe(byte[] body, int version) throws MalformedHandshakeException {
        Bytes b = new Bytes(body, 0, body.length);
        int curveType = b.u8("curve_type");
        if (curveType != 3) {
            throw new MalformedHandshakeException(0, "curve_type " + curveType + " is not named_curve (3)");
        }
        int group = b.u16("named_curve");
        int pointLen = b.u8("public point length");
        if (pointLen == 0) {
            throw new MalformedHandshakeException(b.offset() - 1, "empty public point");
        }
        b.skip(pointLen, "public point");
        int scheme = -1;
        if (version >= 0x0303) {
            scheme = b.u16("signature algorithm");
        }
        b.skip(b.u16("signature length"), "signature");
        if (b.remaining() != 0) {
            throw new MalformedHandshakeException(b.offset(), b.remaining() + " trailing bytes");
        }
        return new EcdheServerKeyExchange(group, pointLen, scheme);
    }
}
