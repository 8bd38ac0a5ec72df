package io.tlslens.inspector.wire;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a Certificate message's certificate_list (RFC 8446 §4.4.2; RFC 5246 §7.4.2 has no
 * per-entry extensions).
 *
 * @param certificate    the parsed X.509 certificate
 * @param extensionTypes types of the entry's extensions (TLS 1.3 only, e.g. status_request 5,
 *                       signed_certificate_timestamp 18), in order; empty for TLS ≤ 1.2
 */
public record CertificateEntry(X509Certificate certificate, List<Integer> extensionTypes) {
    /** Requires the certificate; copies the list. */
    public CertificateEntry {
        Objects.requireNonNull(certificate, "certificate");
        extensionTypes = List.copyOf(extensionTypes);
    }
}
