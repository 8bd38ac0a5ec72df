package io.tlslens.inspector.cert;

import io.tlslens.inspector.policy.KeyType;

import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Analyses served certificate chains against a fixed set of trust anchors (docs/diagnosis.md step 5).
 * Thread-safe and immutable; build one per trust configuration and reuse it.
 *
 * <p>Linking: certificate B issues certificate A when A's issuer DN equals B's subject DN, A's
 * authorityKeyIdentifier keyIdentifier equals B's subjectKeyIdentifier when both are present
 * (RFC 5280 §4.2.1.1–2), and A's signature verifies with B's public key. Self-signed: subject equals
 * issuer and the signature verifies with its own key.
 */
public final class ChainAnalyzer {
    private final Map<X500Principal, List<X509Certificate>> anchorsBySubject = new HashMap<>();

    /**
     * @param trustAnchors the roots known to be trusted (system store plus configured extra); may be empty
     */
    public ChainAnalyzer(Collection<X509Certificate> trustAnchors) {
        for (X509Certificate a : trustAnchors) {
            anchorsBySubject.computeIfAbsent(a.getSubjectX500Principal(), k -> new ArrayList<>()).add(a);
        }
    }

    /**
     * @param extra additional trusted roots ({@code tls.client-trust}); may be empty
     * @return an analyzer trusting the JDK default trust store (cacerts, via {@link TrustManagerFactory}
     *         initialised with a null KeyStore) plus extra
     * @throws IllegalStateException when the JDK trust store cannot be loaded
     */
    public static ChainAnalyzer withSystemTrust(Collection<X509Certificate> extra) {
        List<X509Certificate> all = new ArrayList<>(SystemTrust.roots());
        all.addAll(extra);
        return new ChainAnalyzer(all);
    }

    /**
     * Analyses a chain once (signature checks included); the result answers per-connection questions cheaply.
     *
     * @param servedChain the certificates as served (TLS Certificate message order), leaf first
     * @return the analysis
     * @throws IllegalArgumentException when servedChain is empty or contains null
     */
    public ChainAnalysis analyze(List<X509Certificate> servedChain) {
        if (servedChain == null || servedChain.isEmpty()) {
            throw new IllegalArgumentException("served chain is empty");
        }
        List<X509Certificate> served = List.copyOf(servedChain); // rejects nulls
        int n = served.size();
        boolean[] selfSigned = new boolean[n];
        for (int i = 0; i < n; i++) {
            selfSigned[i] = isSelfSigned(served.get(i));
        }

        // Walk from the leaf through the served certificates by issuer.
        List<Integer> path = new ArrayList<>();
        path.add(0);
        boolean[] used = new boolean[n];
        used[0] = true;
        boolean outOfOrder = false;
        String outOfOrderDetail = null;
        int cur = 0;
        while (!selfSigned[cur]) {
            int expected = path.size();
            int found = -1;
            if (expected < n && !used[expected] && issues(served.get(cur), served.get(expected))) {
                found = expected;
            } else {
                for (int j = 0; j < n; j++) {
                    if (!used[j] && issues(served.get(cur), served.get(j))) {
                        found = j;
                        break;
                    }
                }
            }
            if (found < 0) {
                break;
            }
            if (found != expected && !outOfOrder) {
                outOfOrder = true;
                outOfOrderDetail = "chain is served out of order: the issuer of '" + dn(served.get(cur).getSubjectX500Principal())
                        + "' (position " + (cur + 1) + ") is '" + dn(served.get(found).getSubjectX500Principal())
                        + "' at position " + (found + 1) + ", not at position " + (expected + 1);
            }
            used[found] = true;
            path.add(found);
            cur = found;
        }
        // A first certificate that issues another served one is not the leaf: the bundle starts with a CA.
        if (!outOfOrder) {
            for (int j = 1; j < n; j++) {
                if (!selfSigned[j] && issues(served.get(j), served.get(0))) {
                    outOfOrder = true;
                    outOfOrderDetail = "chain is served out of order: the first certificate '"
                            + dn(served.get(0).getSubjectX500Principal()) + "' issues '"
                            + dn(served.get(j).getSubjectX500Principal()) + "' at position " + (j + 1)
                            + ", so the leaf is not served first";
                    break;
                }
            }
        }
        int top = cur;
        X509Certificate topCert = served.get(top);

        // Anchored: some certificate on the path is an anchor, or is issued by one.
        boolean anchored = false;
        for (int idx : path) {
            X509Certificate c = served.get(idx);
            if (isAnchor(c) || issuedByAnchor(c)) {
                anchored = true;
                break;
            }
        }

        boolean leafSelfSigned = selfSigned[0];
        boolean leafAlone = path.size() == 1;
        boolean missing = leafAlone && !leafSelfSigned && !anchored;
        boolean incomplete = outOfOrder || missing;
        Optional<String> missingIssuer = missing
                ? Optional.of(dn(served.get(0).getIssuerX500Principal())) : Optional.empty();

        List<CertificateSummary> summaries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String role = i == 0 ? "leaf" : selfSigned[i] ? "root" : "intermediate";
            summaries.add(CertificateSummary.of(served.get(i), role));
        }
        return new ChainAnalysis(served, summaries, keyType(served.get(0)), outOfOrder, outOfOrderDetail, incomplete,
                leafSelfSigned, anchored, missingIssuer, selfSigned[top] && top != 0, dn(topCert.getSubjectX500Principal()),
                dn(topCert.getIssuerX500Principal()), null);
    }

    private boolean isAnchor(X509Certificate c) {
        List<X509Certificate> same = anchorsBySubject.get(c.getSubjectX500Principal());
        if (same == null) {
            return false;
        }
        for (X509Certificate a : same) {
            if (Arrays.equals(a.getPublicKey().getEncoded(), c.getPublicKey().getEncoded())) {
                return true;
            }
        }
        return false;
    }

    private boolean issuedByAnchor(X509Certificate c) {
        List<X509Certificate> candidates = anchorsBySubject.get(c.getIssuerX500Principal());
        if (candidates == null) {
            return false;
        }
        for (X509Certificate a : candidates) {
            if (issues(c, a)) {
                return true;
            }
        }
        return false;
    }

    /** @return true when issuer's subject, key identifier and key match child's issuer and signature */
    static boolean issues(X509Certificate child, X509Certificate issuer) {
        if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        Optional<byte[]> aki = Der.authorityKeyIdentifier(child);
        Optional<byte[]> ski = Der.subjectKeyIdentifier(issuer);
        if (aki.isPresent() && ski.isPresent() && !Arrays.equals(aki.get(), ski.get())) {
            return false;
        }
        return verifies(child, issuer);
    }

    /** @return true when c's subject equals its issuer and c's signature verifies with its own key */
    static boolean isSelfSigned(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && verifies(c, c);
    }

    private static boolean verifies(X509Certificate child, X509Certificate issuer) {
        try {
            child.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static KeyType keyType(X509Certificate c) {
        String alg = c.getPublicKey().getAlgorithm();
        return switch (alg) {
            case "RSA", "RSASSA-PSS" -> KeyType.RSA;
            case "EC" -> KeyType.ECDSA;
            case "EdDSA", "Ed25519", "Ed448" -> KeyType.EDDSA;
            default -> KeyType.OTHER;
        };
    }

    static String dn(X500Principal p) {
        return p.getName(X500Principal.RFC2253);
    }
}
