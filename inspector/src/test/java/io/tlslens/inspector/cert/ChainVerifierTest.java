package io.tlslens.inspector.cert;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChainVerifierTest {
    private static final Instant NOW = TestPki.NOW;
    private final TestPki.Issued root = TestPki.root("Verifier Root");
    private final TestPki.Issued inter = TestPki.intermediate("Verifier Intermediate", root);
    private final ChainVerifier verifier = new ChainVerifier(List.of(root.cert()));

    @Test
    void acceptsACompleteChainForItsName() {
        TestPki.Issued leaf = TestPki.leaf("api", inter, "api.internal");
        assertThat(verifier.verify(List.of(leaf.cert(), inter.cert()), "api.internal", false, NOW).ok()).isTrue();
    }

    @Test
    void namesTheValidatorsReason() {
        TestPki.Issued leaf = TestPki.leaf("api", inter, "api.internal");
        assertThat(verifier.verify(List.of(leaf.cert()), "api.internal", false, NOW).problem())
                .as("leaf without its intermediate").isEqualTo(VerifierResult.Problem.NO_TRUST_ANCHOR);
        assertThat(verifier.verify(List.of(leaf.cert(), inter.cert()), "other.internal", false, NOW).problem())
                .isEqualTo(VerifierResult.Problem.HOSTNAME_MISMATCH);
        TestPki.Issued expired = TestPki.issue(new TestPki.Spec("CN=old").dns("api.internal")
                .validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1))), inter);
        assertThat(verifier.verify(List.of(expired.cert(), inter.cert()), "api.internal", false, NOW).problem())
                .isEqualTo(VerifierResult.Problem.EXPIRED);
        TestPki.Issued self = TestPki.selfSigned(new TestPki.Spec("CN=self").dns("api.internal"));
        assertThat(verifier.verify(List.of(self.cert()), "api.internal", false, NOW).problem())
                .isEqualTo(VerifierResult.Problem.NO_TRUST_ANCHOR);
    }

    @Test
    void aCertificateOnItsIssuersCrlIsRevoked() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("api", inter, "api.internal");
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(inter.cert().getSubjectX500Principal().getName()),
                Date.from(NOW.minus(Duration.ofHours(1))));
        b.addCRLEntry(leaf.cert().getSerialNumber(), Date.from(NOW.minus(Duration.ofMinutes(30))), 1);
        X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(inter.keys().getPrivate())));
        VerifierResult r = new ChainVerifier(List.of(root.cert()), List.of(crl))
                .verify(List.of(leaf.cert(), inter.cert()), "api.internal", false, NOW);
        assertThat(r.problem()).isEqualTo(VerifierResult.Problem.REVOKED);
        assertThat(r.detail()).contains("CRL");
        TestPki.Issued other = TestPki.leaf("web", inter, "web.internal");
        assertThat(new ChainVerifier(List.of(root.cert()), List.of(crl))
                .verify(List.of(other.cert(), inter.cert()), "web.internal", false, NOW).ok()).isTrue();
    }

    private X509CRL crl(TestPki.Issued issuer, Instant nextUpdate, TestPki.Issued... revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(issuer.cert().getSubjectX500Principal().getName()),
                Date.from(NOW.minus(Duration.ofHours(1))));
        if (nextUpdate != null) {
            b.setNextUpdate(Date.from(nextUpdate));
        }
        for (TestPki.Issued r : revoked) {
            b.addCRLEntry(r.cert().getSerialNumber(), Date.from(NOW.minus(Duration.ofMinutes(30))), 1);
        }
        return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
                .build(issuer.keys().getPrivate())));
    }

    private List<CrlStatus> statuses(List<X509CRL> crls, TestPki.Issued leaf, String host) {
        List<CrlStatus> seen = new ArrayList<>();
        new ChainVerifier(List.of(root.cert()), crls).verify(List.of(leaf.cert(), inter.cert()), host, false, NOW, seen::add);
        return seen;
    }

    @Test
    void theCrlStatusOfAChainIsToldOnceWhenCrlsAreConfigured() throws Exception {
        TestPki.Issued leaf = TestPki.leaf("api", inter, "api.internal");
        TestPki.Issued other = TestPki.leaf("web", inter, "web.internal");
        Instant later = NOW.plus(Duration.ofDays(1));
        assertThat(statuses(List.of(crl(inter, later, leaf)), leaf, "api.internal")).containsExactly(CrlStatus.REVOKED);
        assertThat(statuses(List.of(crl(inter, later, leaf)), other, "web.internal")).containsExactly(CrlStatus.GOOD);
        assertThat(statuses(List.of(crl(inter, NOW.minus(Duration.ofMinutes(5)))), other, "web.internal"))
                .containsExactly(CrlStatus.STALE);
        TestPki.Issued stranger = TestPki.selfSigned(new TestPki.Spec("CN=other-ca"));
        assertThat(statuses(List.of(crl(stranger, later)), other, "web.internal")).containsExactly(CrlStatus.UNAVAILABLE);
        assertThat(statuses(List.of(), other, "web.internal")).as("no CRLs configured: nothing to count").isEmpty();
        assertThat(statuses(List.of(crl(inter, later)), other, "wrong.internal"))
                .as("the CRLs are consulted before the name check, whatever the name").containsExactly(CrlStatus.GOOD);
    }
}
