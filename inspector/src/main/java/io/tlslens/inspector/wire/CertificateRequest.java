package io.tlslens.inspector.wire;

import java.util.List;

/**
 * A decoded CertificateRequest (handshake type 13): RFC 5246 §7.4.4 (TLS ≤ 1.2) or RFC 8446 §4.3.2.
 *
 * @param certificateTypes        ClientCertificateType codes (rsa_sign 1, ecdsa_sign 64 …); TLS ≤ 1.2 only, else empty
 * @param signatureSchemes        supported_signature_algorithms (TLS 1.2) or the signature_algorithms
 *                                extension (TLS 1.3); empty for TLS 1.0/1.1
 * @param signatureSchemesCert    signature_algorithms_cert extension (TLS 1.3 only), else empty
 * @param certificateAuthorities  distinguished names the server accepts, RFC 2253 strings, in wire order
 *                                (TLS ≤ 1.2 field or the TLS 1.3 certificate_authorities extension)
 * @param extensionTypes          every extension type, in order (TLS 1.3 only), else empty
 */
public record CertificateRequest(List<Integer> certificateTypes, List<Integer> signatureSchemes,
                                 List<Integer> signatureSchemesCert, List<String> certificateAuthorities,
                                 List<Integer> extensionTypes) {
    /** Copies every list. */
    public CertificateRequest {
        certificateTypes = List.copyOf(certificateTypes);
        signatureSchemes = List.copyOf(signatureSchemes);
        signatureSchemesCert = List.copyOf(signatureSchemesCert);
        certificateAuthorities = List.copyOf(certificateAuthorities);
        extensionTypes = List.copyOf(extensionTypes);
    }
}
