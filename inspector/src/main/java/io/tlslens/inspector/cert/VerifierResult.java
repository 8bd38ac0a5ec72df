package io.tlslens.inspector.cert;

/**
 * What a certificate verifier decided about one chain.
 *
 * @param problem the problem found, {@link Problem#NONE} when the chain was accepted
 * @param detail  one sentence of evidence (the validator's reason and the certificate concerned)
 */
public record VerifierResult(Problem problem, String detail) {
    /** Why a verifier refused a chain. */
    public enum Problem {
        /** Accepted. */
        NONE,
        /** No path to a trust anchor (unknown issuer, missing intermediate, self-signed). */
        NO_TRUST_ANCHOR,
        /** A certificate on the path is past notAfter. */
        EXPIRED,
        /** A certificate on the path is before notBefore. */
        NOT_YET_VALID,
        /** Revoked (CRL or OCSP). */
        REVOKED,
        /** The name asked for is not in the leaf's SANs (RFC 6125). */
        HOSTNAME_MISMATCH,
        /** The leaf's key usage or extended key usage does not allow this use. */
        WRONG_KEY_USAGE,
        /** Any other reason the path is invalid (bad signature, constraints …). */
        INVALID
    }

    /** An accepted chain. */
    public static final VerifierResult OK = new VerifierResult(Problem.NONE, "");

    /** @return true when the chain was accepted */
    public boolean ok() {
        return problem == Problem.NONE;
    }
}
