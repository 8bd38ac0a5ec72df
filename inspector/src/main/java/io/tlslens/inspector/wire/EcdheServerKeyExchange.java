package io.tlslens.inspector.wire;

/**
 * The ECDHE parameters of a TLS ≤ 1.2 ServerKeyExchange (RFC 8422 §5.4).
 *
 * @param namedGroup      the named_curve (supported_groups code, e.g. x25519 0x001D, secp256r1 0x0017)
 * @param publicKeyLength length in bytes of the server's ephemeral public point
 * @param signatureScheme the SignatureAndHashAlgorithm of the signature (TLS 1.2, RFC 5246 §7.4.3), or -1
 *                        for TLS 1.0/1.1, which carry none
 */
public record EcdheServerKeyExchange(int namedGroup, int publicKeyLength, int signatureScheme) {
}
