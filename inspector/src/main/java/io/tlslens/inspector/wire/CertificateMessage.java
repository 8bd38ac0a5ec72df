package io.tlslens.inspector.wire;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A decoded Certificate handshake message (type 11): RFC 5246 §7.4.2 (TLS ≤ 1.2) or RFC 8446 §4.4.2.
 *
 * @param requestContextLength length in bytes of certificate_request_context (TLS 1.3; 0 in a server's
 *                             handshake Certificate and always 0 for TLS ≤ 1.2)
 * @param entries              the certificate_list in wire order (sender's certificate first); empty when
 *                             a client sends no certificate
 */
public record CertificateMessage(int requestContextLength, List<CertificateEntry> entries) {
    /** Copies the list. */
    public CertificateMessage {
        entries = List.copyOf(entries);
    }

    /** @return the certificates in wire order (leaf first), unmodifiable */
    public List<X509Certificate> chain() {
        return entries.stream().map(CertificateEntry::certificate).toList();
    }
}
