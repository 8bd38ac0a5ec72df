package io.tlslens.inspector.cert;

import io.tlslens.inspector.policy.CertificateKey;
import io.tlslens.inspector.policy.KeyType;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Analysis of one served chain (docs/diagnosis.md step 5), made once by {@link ChainAnalyzer} when the
 * certificate is loaded; per-connection questions ({@link #definiteProblems}, {@link #describe}) are cheap.
 * Immutable and thread-safe.
 */
public final class ChainAnalysis {
    private final List<X509Certificate> served;
    private final List<CertificateSummary> chain;
    private final KeyType leafKeyType;
    private final CertificateKey leafKey;
    private final boolean outOfOrder;
    private final String outOfOrderDetail;
    private final boolean incomplete;
    private final boolean selfSignedLeaf;
    private final boolean anchored;
    private final Optional<String> missingIssuer;
    private final boolean topIsServedRoot;
    private final String topSubject;
    private final String topIssuer;
    private final String revocation;

    ChainAnalysis(List<X509Certificate> served, List<CertificateSummary> chain, KeyType leafKeyType, boolean outOfOrder,
                  String outOfOrderDetail, boolean incomplete, boolean selfSignedLeaf, boolean anchored,
                  Optional<String> missingIssuer, boolean topIsServedRoot, String topSubject, String topIssuer,
                  String revocation) {
        this.served = List.copyOf(served);
        this.chain = List.copyOf(chain);
        this.leafKeyType = leafKeyType;
        this.leafKey = served.isEmpty() ? new CertificateKey(leafKeyType, 0, 0) : CertificateKey.of(served.get(0).getPublicKey());
        this.outOfOrder = outOfOrder;
        this.outOfOrderDetail = outOfOrderDetail;
        this.incomplete = incomplete;
        this.selfSignedLeaf = selfSignedLeaf;
        this.anchored = anchored;
        this.missingIssuer = missingIssuer;
        this.topIsServedRoot = topIsServedRoot;
        this.topSubject = topSubject;
        this.topIssuer = topIssuer;
        this.revocation = revocation;
    }

    /** @return summaries of the certificates as served, leaf first */
    public List<CertificateSummary> chain() {
        return chain;
    }

    /** @return the leaf's key type, which decides the TLS ≤ 1.2 cipher suites it can serve */
    public KeyType leafKeyType() {
        return leafKeyType;
    }

    /** @return true when the served certificates contain a needed issuer, but not at the next position */
    public boolean outOfOrder() {
        return outOfOrder;
    }

    /**
     * @return true when the chain is out of order, or the leaf is served alone (nothing served links to it)
     *         while it is neither self-signed nor issued directly by a known trust anchor. A chain that links
     *         leaf → intermediate(s) and stops below a root the server does not send is complete.
     */
    public boolean incomplete() {
        return incomplete;
    }

    /** @return true when the leaf's subject equals its issuer and it verifies with its own key */
    public boolean selfSignedLeaf() {
        return selfSignedLeaf;
    }

    /** @return true when a certificate on the linked chain is a known trust anchor or is issued by one (by signature) */
    public boolean anchored() {
        return anchored;
    }

    /** @return the issuer DN (RFC 2253) the chain stops at when incomplete because of a missing certificate */
    public Optional<String> missingIssuer() {
        return missingIssuer;
    }

    /** @return the revocation evidence supplied by {@link #withRevocation}, if any */
    public Optional<String> revocation() {
        return Optional.ofNullable(revocation);
    }

    /** @return the leaf's key with its curve and size, which decide the signature schemes it can make */
    public CertificateKey leafKey() {
        return leafKey;
    }

    /**
     * Records that OCSP or a CRL says the leaf is revoked; the analysis itself does no revocation checks.
     *
     * @param evidence one sentence, e.g. "OCSP responder says revoked at 2024-01-02T00:00:00Z (keyCompromise)"
     * @return a copy that reports {@link CertificateProblem#REVOKED}
     */
    public ChainAnalysis withRevocation(String evidence) {
        Objects.requireNonNull(evidence, "evidence");
        return new ChainAnalysis(served, chain, leafKeyType, outOfOrder, outOfOrderDetail, incomplete, selfSignedLeaf,
                anchored, missingIssuer, topIsServedRoot, topSubject, topIssuer, evidence);
    }

    /**
     * Definite problems (wrong for every client), in DIAGNOSIS order: CHAIN_INCOMPLETE, SELF_SIGNED,
     * EXPIRED, NOT_YET_VALID, HOSTNAME_MISMATCH, REVOKED (only when supplied by {@link #withRevocation}).
     * Validity is checked on every served certificate. A self-signed leaf is SELF_SIGNED even when it is
     * also a configured trust anchor (DIAGNOSIS: definite).
     *
     * @param requestedName SNI, or the address the client connected to; null = not known, skip the name check
     * @param now           the time to check validity at
     * @return the problems found, empty when none
     */
    public List<CertificateProblem> definiteProblems(String requestedName, Instant now) {
        List<CertificateProblem> out = new ArrayList<>(3);
        if (incomplete) {
            out.add(CertificateProblem.CHAIN_INCOMPLETE);
        }
        if (selfSignedLeaf) {
            out.add(CertificateProblem.SELF_SIGNED);
        }
        if (firstExpired(now) >= 0) {
            out.add(CertificateProblem.EXPIRED);
        }
        if (firstNotYetValid(now) >= 0) {
            out.add(CertificateProblem.NOT_YET_VALID);
        }
        if (requestedName != null && !HostnameMatcher.matches(requestedName, served.get(0))) {
            out.add(CertificateProblem.HOSTNAME_MISMATCH);
        }
        if (revocation != null) {
            out.add(CertificateProblem.REVOKED);
        }
        return out;
    }

    /**
     * @return UNTRUSTED_ROOT when the chain is complete, the leaf is not self-signed, and the chain ends at
     *         (a served root) or below a root that is in no known trust store; empty otherwise
     */
    public Optional<CertificateProblem> clientDependentProblem() {
        return !incomplete && !selfSignedLeaf && !anchored
                ? Optional.of(CertificateProblem.UNTRUSTED_ROOT) : Optional.empty();
    }

    /**
     * One human sentence of evidence for a problem, for logs and the admin view.
     *
     * @param p             the problem to describe
     * @param requestedName as for {@link #definiteProblems}; may be null
     * @param now           the time validity was checked at
     * @return the sentence; when the problem does not apply, a sentence saying so
     */
    public String describe(CertificateProblem p, String requestedName, Instant now) {
        CertificateSummary leaf = chain.get(0);
        switch (p) {
            case CHAIN_INCOMPLETE:
                if (outOfOrder) {
                    return outOfOrderDetail;
                }
                if (missingIssuer.isPresent()) {
                    return "chain stops at issuer '" + missingIssuer.get() + "' which the server does not send";
                }
                return "chain is complete";
            case SELF_SIGNED:
                return selfSignedLeaf ? "leaf '" + leaf.subject() + "' is self-signed"
                        : "leaf '" + leaf.subject() + "' is not self-signed";
            case EXPIRED: {
                int i = firstExpired(now);
                if (i < 0) {
                    return "no certificate in the chain is expired";
                }
                CertificateSummary c = chain.get(i);
                return c.role() + " " + c.subject() + " expired " + c.notAfter() + " (" + ago(c.notAfter(), now) + ")"
                        + more(countExpired(now) - 1, "expired");
            }
            case NOT_YET_VALID: {
                int i = firstNotYetValid(now);
                if (i < 0) {
                    return "every certificate in the chain is already valid";
                }
                CertificateSummary c = chain.get(i);
                return c.role() + " " + c.subject() + " is not valid before " + c.notBefore() + " ("
                        + in(c.notBefore(), now) + ")" + more(countNotYetValid(now) - 1, "not yet valid");
            }
            case HOSTNAME_MISMATCH: {
                if (requestedName == null) {
                    return "no requested name known (no SNI, no address)";
                }
                String what = HostnameMatcher.parseIp(requestedName.trim()) != null ? "address" : "SNI";
                boolean covered = HostnameMatcher.matches(requestedName, served.get(0));
                if (leaf.subjectAltNames().isEmpty()) {
                    return what + " '" + requestedName + "' is " + (covered ? "" : "not ")
                            + "covered by the leaf, which has no SANs (subject " + leaf.subject() + ")";
                }
                return what + " '" + requestedName + "' is " + (covered ? "" : "not ") + "covered by SANs "
                        + leaf.subjectAltNames();
            }
            case REVOKED:
                return revocation != null ? revocation : "no revocation information for the leaf";
            case UNTRUSTED_ROOT:
                if (anchored) {
                    return "chain reaches a known trust anchor";
                }
                if (topIsServedRoot) {
                    return "chain ends at root '" + topSubject + "' which is in no known trust store";
                }
                return "chain ends below root '" + topIssuer + "' (not sent) which is in no known trust store";
            default:
                throw new IllegalArgumentException("unknown problem " + p);
        }
    }

    private int firstExpired(Instant now) {
        for (int i = 0; i < chain.size(); i++) {
            if (now.isAfter(chain.get(i).notAfter())) {
                return i;
            }
        }
        return -1;
    }

    private int countExpired(Instant now) {
        return (int) chain.stream().filter(c -> now.isAfter(c.notAfter())).count();
    }

    private int firstNotYetValid(Instant now) {
        for (int i = 0; i < chain.size(); i++) {
            if (now.isBefore(chain.get(i).notBefore())) {
                return i;
            }
        }
        return -1;
    }

    private int countNotYetValid(Instant now) {
        return (int) chain.stream().filter(c -> now.isBefore(c.notBefore())).count();
    }

    private static String more(int n, String what) {
        return n <= 0 ? "" : "; " + n + " more certificate" + (n == 1 ? "" : "s") + " in the chain " + what;
    }

    private static String ago(Instant then, Instant now) {
        return span(Duration.between(then, now)) + " ago";
    }

    private static String in(Instant then, Instant now) {
        return "in " + span(Duration.between(now, then));
    }

    private static String span(Duration d) {
        long days = d.toDays();
        if (days >= 1) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = d.toHours();
        if (hours >= 1) {
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = Math.max(d.truncatedTo(ChronoUnit.MINUTES).toMinutes(), 0);
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
