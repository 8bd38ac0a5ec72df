package io.tlslens.proxy.backend.probe;

import io.tlslens.proxy.tls.OcspChecker;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** Reads a stapled OCSP response (RFC 6960) for the leaf of the chain it was stapled to. */
final class OcspStapleReader {
    private OcspStapleReader() {
    }

    /**
     * What a staple says.
     *
     * @param status         {@code good}, {@code revoked}, {@code unknown}, or {@code unusable} (not a successful
     *                       response about this leaf)
     * @param thisUpdate     the response's thisUpdate, or null
     * @param nextUpdate     its nextUpdate, or null
     * @param revokedAt      the revocation time when revoked, else null
     * @param signatureValid true when signed by the leaf's issuer (as served) or a responder it delegated to;
     *                       null when the issuer was not served
     * @param detail         why the response is unusable, or null
     */
    record Staple(String status, Instant thisUpdate, Instant nextUpdate, Instant revokedAt, Boolean signatureValid,
                  String detail) {
    }

    /**
     * @param der   the OCSPResponse
     * @param chain the chain it was stapled to, leaf first (the issuer, when served, identifies the leaf exactly)
     * @return what the staple says; never throws
     */
    static Staple read(byte[] der, List<X509Certificate> chain) {
        try {
            OCSPResp resp = new OCSPResp(der);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL || !(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
                return new Staple("unusable", null, null, null, null, "responseStatus " + resp.getStatus());
            }
            X509Certificate leaf = chain.isEmpty() ? null : chain.get(0);
            X509Certificate issuer = chain.size() > 1 ? chain.get(1) : null;
            SingleResp match = null;
            for (SingleResp single : basic.getResponses()) {
                CertificateID id = single.getCertID();
                if (leaf != null && !id.getSerialNumber().equals(leaf.getSerialNumber())) {
                    continue;
                }
                if (issuer != null && !id.matchesIssuer(new JcaX509CertificateHolder(issuer),
                        new JcaDigestCalculatorProviderBuilder().build())) {
                    continue;
                }
                match = single;
                break;
            }
            if (match == null) {
                return new Staple("unusable", null, null, null, null, "no response for the served leaf");
            }
            Boolean signed = issuer == null ? null : signedByIssuerOrDelegate(basic, issuer);
            Instant thisUpdate = match.getThisUpdate() == null ? null : match.getThisUpdate().toInstant();
            Instant nextUpdate = match.getNextUpdate() == null ? null : match.getNextUpdate().toInstant();
            var status = match.getCertStatus();
            if (status instanceof RevokedStatus r) {
                return new Staple("revoked", thisUpdate, nextUpdate, r.getRevocationTime().toInstant(), signed, null);
            }
            if (status instanceof UnknownStatus) {
                return new Staple("unknown", thisUpdate, nextUpdate, null, signed, null);
            }
            return new Staple("good", thisUpdate, nextUpdate, null, signed, null);
        } catch (Exception e) {
            return new Staple("unusable", null, null, null, null, e.toString());
        }
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer) {
        try {
            return OcspChecker.signedByIssuerOrDelegate(basic, issuer);
        } catch (Exception e) {
            return false;
        }
    }
}
