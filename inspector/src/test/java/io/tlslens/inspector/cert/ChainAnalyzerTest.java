package io.tlslens.inspector.cert;

import io.tlslens.inspector.cert.TestPki.Issued;
import io.tlslens.inspector.cert.TestPki.Spec;
import io.tlslens.inspector.policy.KeyType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.tlslens.inspector.cert.CertificateProblem.*;
import static io.tlslens.inspector.cert.TestPki.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainAnalyzerTest {
    private static final Issued ROOT = TestPki.root("Test Root");
    private static final Issued INTER = TestPki.intermediate("Test Intermediate", ROOT);
    private static final Issued LEAF = TestPki.leaf("www.example.com", INTER, "www.example.com", "example.com");

    private static final ChainAnalyzer TRUSTING = new ChainAnalyzer(List.of(ROOT.cert()));
    private static final ChainAnalyzer NOT_TRUSTING = new ChainAnalyzer(List.of());

    @Test
    void completeChainWithoutRootIsCompleteAndAnchored() {
        ChainAnalysis a = TRUSTING.analyze(List.of(LEAF.cert(), INTER.cert()));
        assertThat(a.incomplete()).isFalse();
        assertThat(a.outOfOrder()).isFalse();
        assertThat(a.anchored()).isTrue();
        assertThat(a.selfSignedLeaf()).isFalse();
        assertThat(a.missingIssuer()).isEmpty();
        assertThat(a.leafKeyType()).isEqualTo(KeyType.ECDSA);
        assertThat(a.definiteProblems("www.example.com", NOW)).isEmpty();
        assertThat(a.clientDependentProblem()).isEmpty();
        assertThat(a.chain()).extracting(CertificateSummary::role).containsExactly("leaf", "intermediate");
    }

    @Test
    void completeChainWithRootSentIsAnchored() {
        ChainAnalysis a = TRUSTING.analyze(List.of(LEAF.cert(), INTER.cert(), ROOT.cert()));
        assertThat(a.incomplete()).isFalse();
        assertThat(a.anchored()).isTrue();
        assertThat(a.chain()).extracting(CertificateSummary::role).containsExactly("leaf", "intermediate", "root");
    }

    @Test
    void privateRootNotSentIsCompleteButUntrusted() {
        ChainAnalysis a = NOT_TRUSTING.analyze(List.of(LEAF.cert(), INTER.cert()));
        assertThat(a.incomplete()).isFalse();
        assertThat(a.anchored()).isFalse();
        assertThat(a.definiteProblems("www.example.com", NOW)).isEmpty();
        assertThat(a.clientDependentProblem()).contains(UNTRUSTED_ROOT);
        assertThat(a.describe(UNTRUSTED_ROOT, null, NOW))
                .isEqualTo("chain ends below root 'CN=Test Root' (not sent) which is in no known trust store");
    }

    @Test
    void servedUntrustedRootIsNamed() {
        ChainAnalysis a = NOT_TRUSTING.analyze(List.of(LEAF.cert(), INTER.cert(), ROOT.cert()));
        assertThat(a.clientDependentProblem()).contains(UNTRUSTED_ROOT);
        assertThat(a.describe(UNTRUSTED_ROOT, null, NOW))
                .isEqualTo("chain ends at root 'CN=Test Root' which is in no known trust store");
    }

    @Test
    void anchorWithSameNameButOtherKeyDoesNotAnchor() {
        Issued impostor = TestPki.root("Test Root");
        ChainAnalysis a = new ChainAnalyzer(List.of(impostor.cert())).analyze(List.of(LEAF.cert(), INTER.cert()));
        assertThat(a.anchored()).isFalse();
        assertThat(a.clientDependentProblem()).contains(UNTRUSTED_ROOT);
    }

    @Test
    void leafWithoutItsIntermediateIsIncomplete() {
        ChainAnalysis a = TRUSTING.analyze(List.of(LEAF.cert()));
        assertThat(a.incomplete()).isTrue();
        assertThat(a.outOfOrder()).isFalse();
        assertThat(a.missingIssuer()).contains("CN=Test Intermediate");
        assertThat(a.definiteProblems("www.example.com", NOW)).containsExactly(CHAIN_INCOMPLETE);
        assertThat(a.clientDependentProblem()).isEmpty();
        assertThat(a.describe(CHAIN_INCOMPLETE, null, NOW))
                .isEqualTo("chain stops at issuer 'CN=Test Intermediate' which the server does not send");
    }

    @Test
    void leafWithAnUnrelatedIntermediateIsIncomplete() {
        Issued other = TestPki.intermediate("Other Intermediate", ROOT);
        ChainAnalysis a = TRUSTING.analyze(List.of(LEAF.cert(), other.cert()));
        assertThat(a.incomplete()).isTrue();
        assertThat(a.missingIssuer()).contains("CN=Test Intermediate");
    }

    @Test
    void leafIssuedDirectlyByAnAnchorIsComplete() {
        Issued direct = TestPki.leaf("direct.example.com", ROOT, "direct.example.com");
        ChainAnalysis a = TRUSTING.analyze(List.of(direct.cert()));
        assertThat(a.incomplete()).isFalse();
        assertThat(a.anchored()).isTrue();
        assertThat(a.definiteProblems("direct.example.com", NOW)).isEmpty();
        assertThat(a.clientDependentProblem()).isEmpty();
    }

    @Test
    void leafAloneIssuedByUnknownRootIsIncomplete() {
        Issued direct = TestPki.leaf("direct.example.com", ROOT, "direct.example.com");
        ChainAnalysis a = NOT_TRUSTING.analyze(List.of(direct.cert()));
        assertThat(a.incomplete()).isTrue();
        assertThat(a.missingIssuer()).contains("CN=Test Root");
    }

    @Test
    void intermediatesOutOfOrderAreIncomplete() {
        Issued inter2 = TestPki.intermediate("Test Intermediate 2", INTER);
        Issued leaf = TestPki.leaf("deep.example.com", inter2, "deep.example.com");
        ChainAnalysis a = TRUSTING.analyze(List.of(leaf.cert(), INTER.cert(), inter2.cert()));
        assertThat(a.outOfOrder()).isTrue();
        assertThat(a.incomplete()).isTrue();
        assertThat(a.anchored()).isTrue();
        assertThat(a.missingIssuer()).isEmpty();
        assertThat(a.definiteProblems("deep.example.com", NOW)).containsExactly(CHAIN_INCOMPLETE);
        assertThat(a.describe(CHAIN_INCOMPLETE, null, NOW))
                .contains("out of order").contains("CN=Test Intermediate 2").contains("position 3");
    }

    @Test
    void intermediateBeforeLeafIsOutOfOrder() {
        ChainAnalysis a = TRUSTING.analyze(List.of(INTER.cert(), LEAF.cert()));
        assertThat(a.outOfOrder()).isTrue();
        assertThat(a.incomplete()).isTrue();
        assertThat(a.describe(CHAIN_INCOMPLETE, null, NOW)).contains("leaf is not served first");
    }

    @Test
    void selfSignedLeaf() {
        Issued self = TestPki.selfSigned(new Spec("CN=localhost").dns("localhost"));
        ChainAnalysis a = NOT_TRUSTING.analyze(List.of(self.cert()));
        assertThat(a.selfSignedLeaf()).isTrue();
        assertThat(a.incomplete()).isFalse();
        assertThat(a.definiteProblems("localhost", NOW)).containsExactly(SELF_SIGNED);
        assertThat(a.clientDependentProblem()).isEmpty();
        assertThat(a.describe(SELF_SIGNED, "localhost", NOW)).isEqualTo("leaf 'CN=localhost' is self-signed");
    }

    @Test
    void expiredLeaf() {
        Issued expired = TestPki.issue(new Spec("CN=foo").dns("foo")
                .validity(Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2025-05-20T00:00:00Z")), INTER);
        Instant now = NOW; // 2025-06-01
        ChainAnalysis a = TRUSTING.analyze(List.of(expired.cert(), INTER.cert()));
        assertThat(a.definiteProblems("foo", now)).containsExactly(EXPIRED);
        assertThat(a.describe(EXPIRED, "foo", now)).isEqualTo("leaf CN=foo expired 2025-05-20T00:00:00Z (12 days ago)");
    }

    @Test
    void expiredIntermediate() {
        Issued oldInter = TestPki.issue(new Spec("CN=Old Intermediate").ca()
                .validity(NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(3))), ROOT);
        Issued leaf = TestPki.leaf("www.example.com", oldInter, "www.example.com");
        ChainAnalysis a = TRUSTING.analyze(List.of(leaf.cert(), oldInter.cert()));
        assertThat(a.definiteProblems("www.example.com", NOW)).containsExactly(EXPIRED);
        assertThat(a.describe(EXPIRED, null, NOW)).startsWith("intermediate CN=Old Intermediate expired ")
                .endsWith("(3 days ago)");
    }

    @Test
    void notYetValidLeaf() {
        Issued future = TestPki.issue(new Spec("CN=future").dns("future")
                .validity(NOW.plus(Duration.ofHours(5)), NOW.plus(Duration.ofDays(90))), INTER);
        ChainAnalysis a = TRUSTING.analyze(List.of(future.cert(), INTER.cert()));
        assertThat(a.definiteProblems("future", NOW)).containsExactly(NOT_YET_VALID);
        assertThat(a.describe(NOT_YET_VALID, null, NOW)).contains("not valid before").endsWith("(in 5 hours)");
    }

    @Test
    void hostnameMismatch() {
        ChainAnalysis a = TRUSTING.analyze(List.of(LEAF.cert(), INTER.cert()));
        assertThat(a.definiteProblems("api.example.com", NOW)).containsExactly(HOSTNAME_MISMATCH);
        assertThat(a.definiteProblems(null, NOW)).isEmpty();
        assertThat(a.describe(HOSTNAME_MISMATCH, "api.example.com", NOW))
                .isEqualTo("SNI 'api.example.com' is not covered by SANs [DNS:www.example.com, DNS:example.com]");
        assertThat(a.describe(HOSTNAME_MISMATCH, "10.0.0.1", NOW)).startsWith("address '10.0.0.1' is not covered");
    }

    @Test
    void definiteProblemsComeInDiagnosisOrder() {
        Issued bad = TestPki.issue(new Spec("CN=bad").dns("bad.example.com")
                .validity(NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(1))), INTER);
        ChainAnalysis a = TRUSTING.analyze(List.of(bad.cert())).withRevocation("OCSP says revoked (keyCompromise)");
        assertThat(a.definiteProblems("other.example.com", NOW))
                .containsExactly(CHAIN_INCOMPLETE, EXPIRED, HOSTNAME_MISMATCH, REVOKED);
        assertThat(a.describe(REVOKED, null, NOW)).isEqualTo("OCSP says revoked (keyCompromise)");

        Issued selfExpired = TestPki.selfSigned(new Spec("CN=old").dns("old")
                .validity(NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(1))));
        assertThat(NOT_TRUSTING.analyze(List.of(selfExpired.cert())).definiteProblems("new", NOW))
                .containsExactly(SELF_SIGNED, EXPIRED, HOSTNAME_MISMATCH);
    }

    @Test
    void linksWithoutKeyIdentifiersToo() {
        Issued root = TestPki.selfSigned(new Spec("CN=Bare Root").ca().noKeyIds());
        Issued inter = TestPki.issue(new Spec("CN=Bare Intermediate").ca().noKeyIds(), root);
        Issued leaf = TestPki.issue(new Spec("CN=bare").dns("bare").noKeyIds(), inter);
        ChainAnalysis a = new ChainAnalyzer(List.of(root.cert())).analyze(List.of(leaf.cert(), inter.cert()));
        assertThat(a.incomplete()).isFalse();
        assertThat(a.anchored()).isTrue();
    }

    @Test
    void sameNameDifferentKeyDoesNotLink() {
        Issued otherInter = TestPki.intermediate("Test Intermediate", ROOT); // same DN, other key
        ChainAnalysis a = TRUSTING.analyze(List.of(LEAF.cert(), otherInter.cert()));
        assertThat(a.incomplete()).isTrue();
        assertThat(a.missingIssuer()).contains("CN=Test Intermediate");
    }

    @Test
    void rsaLeafKeyType() {
        Issued rsa = TestPki.issue(new Spec("CN=rsa").dns("rsa").rsa(), INTER);
        ChainAnalysis a = TRUSTING.analyze(List.of(rsa.cert(), INTER.cert()));
        assertThat(a.leafKeyType()).isEqualTo(KeyType.RSA);
        assertThat(a.chain().get(0).keyAlgorithm()).isEqualTo("RSA 2048");
    }

    @Test
    void summaryFields() {
        CertificateSummary s = CertificateSummary.of(LEAF.cert(), "leaf");
        assertThat(s.subject()).isEqualTo("CN=www.example.com");
        assertThat(s.issuer()).isEqualTo("CN=Test Intermediate");
        assertThat(s.subjectAltNames()).containsExactly("DNS:www.example.com", "DNS:example.com");
        assertThat(s.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(s.serialHex()).isEqualTo(LEAF.cert().getSerialNumber().toString(16).toUpperCase());
        assertThat(s.keyAlgorithm()).isEqualTo("EC 256");
        assertThat(s.notAfter()).isEqualTo(LEAF.cert().getNotAfter().toInstant());
    }

    @Test
    void emptyChainIsRejected() {
        assertThatThrownBy(() -> TRUSTING.analyze(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemTrustLoads() {
        ChainAnalysis a = ChainAnalyzer.withSystemTrust(List.of(ROOT.cert())).analyze(List.of(LEAF.cert(), INTER.cert()));
        assertThat(a.anchored()).isTrue();
        assertThat(ChainAnalyzer.withSystemTrust(List.of()).analyze(List.of(LEAF.cert(), INTER.cert())).anchored())
                .isFalse();
    }
}
