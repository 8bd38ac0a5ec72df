package io.tlslens.inspector.cert;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Verifies a chain as a peer sent it with the JDK's PKIX {@link CertPathValidator} (RFC 5280 §6),
 * then the name (RFC 6125) and, for client certificates, the extended key usage. Its result is
 * the verifier's own reason, mapped to {@link VerifierResult.Problem}; the diagnoser combines it with
 * the {@link ChainAnalysis} of the same chain. Revocation: against the CRLs given (OCSP needs the
 * network and is done by the caller, off any event loop).
 */
public final class ChainVerifier {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private final Set<TrustAnchor> anchors = new HashSet<>();
    private final List<X509Certificate> anchorCerts;
    private final List<X509CRL> crls;

    /**
     * @param trustAnchors the trusted roots; must not be empty
     * @throws IllegalArgumentException when empty
     */
    public ChainVerifier(Collection<X509Certificate> trustAnchors) {
        this(trustAnchors, List.of());
    }

    /**
     * @param trustAnchors the trusted roots; must not be empty
     * @param crls         CRLs (RFC 5280 §5) to check every certificate of a valid path against; a CRL is used only
     *                     when its signature verifies with the issuer's key from the chain or the anchors
     * @throws IllegalArgumentException when trustAnchors is empty
     */
    public ChainVerifier(Collection<X509Certificate> trustAnchors, Collection<X509CRL> crls) {
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors");
        }
        this.crls = List.copyOf(crls);
        this.anchorCerts = List.copyOf(trustAnchors);
        for (X509Certificate c : trustAnchors) {
            anchors.add(new TrustAnchor(c, null));
        }
    }

    /** @return a verifier trusting the JDK's default trust store plus {@code extra} */
    public static ChainVerifier withSystemTrust(Collection<X509Certificate> extra) {
        return withSystemTrust(extra, List.of());
    }

    /** @return a verifier trusting the JDK's default trust store plus {@code extra}, checking {@code crls} */
    public static ChainVerifier withSystemTrust(Collection<X509Certificate> extra, Collection<X509CRL> crls) {
        List<X509Certificate> all = new ArrayList<>(SystemTrust.roots());
        all.addAll(extra);
        return new ChainVerifier(all, crls);
    }

    /**
     * @param chain        the chain as received, leaf first
     * @param hostname     the name to check the leaf against, or null to skip the check
     * @param clientAuth   true for a client certificate (requires clientAuth EKU when the leaf has an EKU), false for a server one
     * @param now          the validity date
     * @return the verifier's decision
     */
    public VerifierResult verify(List<X509Certificate> chain, String hostname, boolean clientAuth, Instant now) {
        return verify(chain, hostname, clientAuth, now, status -> { });
    }

    /**
     * As {@link #verify(List, String, boolean, Instant)}, and says what the CRLs found.
     *
     * @param crlChecks told the chain's {@link CrlStatus} when CRLs are configured and the path validated (the
     *                  CRLs are consulted only then); not called otherwise
     * @return the verifier's decision
     */
    public VerifierResult verify(List<X509Certificate> chain, String hostname, boolean clientAuth, Instant now,
                                 Consumer<CrlStatus> crlChecks) {
        if (chain.isEmpty()) {
            return new VerifierResult(VerifierResult.Problem.INVALID, "empty certificate chain");
        }
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!anchorCerts.contains(c)) {
                path.add(c);
            }
        }
        if (!path.isEmpty()) {
            VerifierResult pkix = validate(path, now);
            if (!pkix.ok()) {
                return pkix;
            }
        }
        VerifierResult revoked = revocation(chain, now, crlChecks);
        if (!revoked.ok()) {
            return revoked;
        }
        X509Certificate leaf = chain.get(0);
        if (hostname != null && !HostnameMatcher.matches(hostname, leaf)) {
            return new VerifierResult(VerifierResult.Problem.HOSTNAME_MISMATCH,
                    "'" + hostname + "' is not covered by the subjectAltNames of " + leaf.getSubjectX500Principal().getName());
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            String wanted = clientAuth ? CLIENT_AUTH : SERVER_AUTH;
            if (eku != null && !eku.contains(wanted) && !eku.contains("2.5.29.37.0")) {
                return new VerifierResult(VerifierResult.Problem.WRONG_KEY_USAGE, leaf.getSubjectX500Principal().getName()
                        + " has extended key usage " + eku + " without " + (clientAuth ? "clientAuth" : "serverAuth"));
            }
        } catch (CertificateParsingException e) {
            return new VerifierResult(VerifierResult.Problem.INVALID, "unreadable extended key usage: " + e.getMessage());
        }
        return VerifierResult.OK;
    }

    /**
     * RFC 5280 §6.3 in its simplest form: a certificate listed on a CRL signed by its issuer is revoked. A CRL past
     * its nextUpdate is still used, and the chain's status says so.
     */
    private VerifierResult revocation(List<X509Certificate> chain, Instant now, Consumer<CrlStatus> crlChecks) {
        if (crls.isEmpty()) {
            return VerifierResult.OK;
        }
        boolean covered = false;
        boolean stale = false;
        for (X509Certificate cert : chain) {
            X509Certificate issuer = issuerOf(cert, chain);
            if (issuer == null) {
                continue;
            }
            for (X509CRL crl : crls) {
                if (!crl.getIssuerX500Principal().equals(cert.getIssuerX500Principal()) || !signedBy(crl, issuer)) {
                    continue;
                }
                covered = true;
                stale |= crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(now);
                X509CRLEntry entry = crl.getRevokedCertificate(cert);
                if (entry != null) {
                    crlChecks.accept(CrlStatus.REVOKED);
                    return new VerifierResult(VerifierResult.Problem.REVOKED, cert.getSubjectX500Principal().getName()
                            + " (serial " + cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT)
                            + ") is on the CRL of " + crl.getIssuerX500Principal().getName() + ", revoked "
                            + entry.getRevocationDate().toInstant()
                            + (entry.getRevocationReason() == null ? "" : " (" + entry.getRevocationReason() + ")"));
                }
            }
        }
        crlChecks.accept(!covered ? CrlStatus.UNAVAILABLE : stale ? CrlStatus.STALE : CrlStatus.GOOD);
        return VerifierResult.OK;
    }

    private X509Certificate issuerOf(X509Certificate cert, List<X509Certificate> chain) {
        List<X509Certificate> candidates = new ArrayList<>(chain);
        candidates.addAll(anchorCerts);
        for (X509Certificate c : candidates) {
            if (c != cert && c.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                try {
                    cert.verify(c.getPublicKey());
                    return c;
                } catch (GeneralSecurityException wrongKey) {
                    // same name, other key: keep looking
                }
            }
        }
        return null;
    }

    private static boolean signedBy(X509CRL crl, X509Certificate issuer) {
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private VerifierResult validate(List<X509Certificate> path, Instant now) {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
            return VerifierResult.OK;
        } catch (CertPathValidatorException e) {
            return new VerifierResult(map(e), describe(e, path));
        } catch (GeneralSecurityException e) {
            return new VerifierResult(VerifierResult.Problem.INVALID, e.getMessage());
        }
    }

    private static VerifierResult.Problem map(CertPathValidatorException e) {
        CertPathValidatorException.Reason r = e.getReason();
        if (r == CertPathValidatorException.BasicReason.EXPIRED) {
            return VerifierResult.Problem.EXPIRED;
        }
        if (r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return VerifierResult.Problem.NOT_YET_VALID;
        }
        if (r == CertPathValidatorException.BasicReason.REVOKED) {
            return VerifierResult.Problem.REVOKED;
        }
        if (r == PKIXReason.NO_TRUST_ANCHOR) {
            return VerifierResult.Problem.NO_TRUST_ANCHOR;
        }
        if (r == PKIXReason.INVALID_KEY_USAGE) {
            return VerifierResult.Problem.WRONG_KEY_USAGE;
        }
        return VerifierResult.Problem.INVALID;
    }

    private static String describe(CertPathValidatorException e, List<X509Certificate> path) {
        int i = e.getIndex();
        String who = i >= 0 && i < path.size() ? " at " + path.get(i).getSubjectX500Principal().getName() : "";
        return "PKIX: " + e.getReason() + who + ": " + e.getMessage();
    }
}
