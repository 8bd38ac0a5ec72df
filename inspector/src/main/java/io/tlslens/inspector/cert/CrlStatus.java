package io.tlslens.inspector.cert;

import java.util.Locale;

/**
 * What the configured CRLs (RFC 5280 §5) said about one chain, as counted in
 * {@code tlslens_revocation_checks_total{method="crl"}}.
 */
public enum CrlStatus {
    /** A CRL of an issuer in the chain lists one of its certificates. */
    REVOKED,
    /** No certificate is listed, but a CRL that covers one is past its nextUpdate (still used). */
    STALE,
    /** At least one certificate of the chain is covered by a current CRL of its issuer, and none is listed. */
    GOOD,
    /** CRLs are configured but none is from an issuer in this chain (or signed by its key): nothing was checked. */
    UNAVAILABLE;

    /** @return the metric label: {@code revoked}, {@code stale}, {@code good} or {@code unavailable} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
