package io.tlslens.inspector.cert;

/**
 * A problem with a served certificate chain (docs/diagnosis.md step 5). The first six are definite
 * (wrong for every client), in DIAGNOSIS order; {@link #UNTRUSTED_ROOT} depends on what the client trusts.
 */
public enum CertificateProblem {
    /** Intermediates missing, or leaf and intermediates served out of order. */
    CHAIN_INCOMPLETE,
    /** The leaf is self-signed. */
    SELF_SIGNED,
    /** A certificate of the chain is past its notAfter. */
    EXPIRED,
    /** A certificate of the chain is before its notBefore. */
    NOT_YET_VALID,
    /** The requested name is not covered by the leaf (RFC 6125 §6.4). */
    HOSTNAME_MISMATCH,
    /** OCSP or a CRL says the leaf is revoked (only when that fact was supplied). */
    REVOKED,
    /** The chain ends at or below a root in no known trust store (client-dependent). */
    UNTRUSTED_ROOT
}
