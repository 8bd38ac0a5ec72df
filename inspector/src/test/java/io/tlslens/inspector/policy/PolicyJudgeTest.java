package io.tlslens.inspector.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tlslens.inspector.policy.CipherSuites.*;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyJudgeTest {
    private static final int TLS10 = 0x0301, TLS11 = 0x0302, TLS12 = 0x0303, TLS13 = 0x0304;
    private static final int GREASE = 0x1A1A;
    private static final int X25519 = 0x001D, SECP256R1 = 0x0017, SECP521R1 = 0x0019;

    private static TlsPolicy policy(String name) {
        return NamedPolicies.byName(name).orElseThrow();
    }

    @Test
    void oldOnlyClientAgainstIntermediateIsVersionMismatch() {
        Judgement j = PolicyJudge.judge(List.of(TLS10, TLS11),
                List.of(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA), List.of(X25519),
                policy("intermediate"), KeyType.RSA);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.PROTOCOL_VERSION_MISMATCH);
        assertThat(j.ok()).isFalse();
        assertThat(j.sharedVersions()).isEmpty();
        assertThat(j.summary()).isEqualTo("client offered TLS 1.0–1.1; policy 'intermediate' accepts TLS 1.2–1.3");
    }

    @Test
    void rsaOnlySuitesAgainstEcdsaCertificateIsNoSharedCipher() {
        List<Integer> suites = List.of(GREASE, TLS_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        Judgement j = PolicyJudge.judge(List.of(TLS12), suites, List.of(X25519), policy("intermediate"), KeyType.ECDSA);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_CIPHER);
        assertThat(j.sharedVersions()).containsExactly(TLS12);
        assertThat(j.usableCipherSuites()).isEmpty();
        assertThat(j.summary()).startsWith("client offered 3 cipher suites for TLS 1.2 (")
                .endsWith("none of which policy 'intermediate' accepts for an ECDSA certificate "
                        + "(it would accept 2 of them with an RSA certificate)");
        // the same client with an RSA certificate is fine
        Judgement rsa = PolicyJudge.judge(List.of(TLS12), suites, List.of(X25519), policy("intermediate"), KeyType.RSA);
        assertThat(rsa.ok()).isTrue();
        assertThat(rsa.usableCipherSuites())
                .containsExactly(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384);
    }

    @Test
    void modernTls13ClientIsOk() {
        Judgement j = PolicyJudge.judge(List.of(TLS12, TLS13),
                List.of(GREASE, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256,
                        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
                List.of(GREASE, 0x11EC, X25519, SECP256R1), policy("modern"), KeyType.ECDSA);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.OK);
        assertThat(j.sharedVersions()).containsExactly(TLS13);
        assertThat(j.usableCipherSuites())
                .containsExactly(TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256);
        assertThat(j.sharedGroups()).containsExactly(0x11EC, X25519, SECP256R1);
        assertThat(j.summary()).startsWith("client and policy 'modern' agree on TLS 1.3 with 3 usable cipher suites");
    }

    @Test
    void tls13WithoutSharedGroupIsNoSharedGroup() {
        Judgement j = PolicyJudge.judge(List.of(TLS13), List.of(TLS_AES_128_GCM_SHA256), List.of(SECP521R1),
                policy("modern"), KeyType.RSA);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(j.sharedGroups()).isEmpty();
        assertThat(j.summary()).isEqualTo("client offers groups secp521r1; policy 'modern' accepts X25519MLKEM768, x25519, "
                + "secp256r1, secp384r1");
    }

    @Test
    void noSharedGroupAtTls13DoesNotFallBackToTls12() {
        // BoringSSL negotiates the highest version both accept and fails there: it never retries with TLS 1.2
        Judgement j = PolicyJudge.judge(List.of(TLS12, TLS13),
                List.of(TLS_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_GCM_SHA256), List.of(SECP521R1),
                policy("old"), KeyType.RSA);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(j.version()).isEqualTo(TLS13);
        assertThat(j.usableCipherSuites()).containsExactly(TLS_AES_128_GCM_SHA256);
    }

    @Test
    void tls12EcdheNeedsACurveBothList() {
        Judgement rsa = PolicyJudge.judge(List.of(TLS12), List.of(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), List.of(SECP521R1),
                policy("intermediate"), KeyType.RSA);
        assertThat(rsa.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(rsa.summary()).isEqualTo("client offers groups secp521r1; policy 'intermediate' accepts x25519, secp256r1, "
                + "secp384r1 for TLS 1.2 ECDHE");
        // static RSA key exchange needs no group
        Judgement staticRsa = PolicyJudge.judge(List.of(TLS12), List.of(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TLS_RSA_WITH_AES_128_GCM_SHA256), List.of(SECP521R1), policy("old"), KeyType.RSA);
        assertThat(staticRsa.ok()).isTrue();
        assertThat(staticRsa.usableCipherSuites()).containsExactly(TLS_RSA_WITH_AES_128_GCM_SHA256);
        assertThat(staticRsa.group()).isZero();
    }

    @Test
    void groupsNotSentSkipsTheGroupCheck() {
        Judgement j = PolicyJudge.judge(List.of(TLS13), List.of(TLS_AES_128_GCM_SHA256), List.of(),
                policy("modern"), KeyType.ECDSA);
        assertThat(j.ok()).isTrue();
    }

    @Test
    void tls12OnlySuitesAreNotUsableAtTls11() {
        // ELB FS-1-1 accepts TLS 1.1, but GCM/SHA256 suites need TLS 1.2
        Judgement gcmOnly = PolicyJudge.judge(List.of(TLS10, TLS11), List.of(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
                List.of(), policy("ELBSecurityPolicy-FS-1-1-2019-08"), KeyType.RSA);
        assertThat(gcmOnly.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_CIPHER);
        assertThat(gcmOnly.sharedVersions()).containsExactly(TLS11);
        Judgement cbc = PolicyJudge.judge(List.of(TLS10, TLS11),
                List.of(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA),
                List.of(), policy("ELBSecurityPolicy-FS-1-1-2019-08"), KeyType.RSA);
        assertThat(cbc.ok()).isTrue();
        assertThat(cbc.usableCipherSuites()).containsExactly(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA);
    }

    @Test
    void bestSharedVersionDecides() {
        Judgement j = PolicyJudge.judge(List.of(TLS10, TLS11, TLS12),
                List.of(TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
                List.of(X25519), policy("old"), KeyType.ECDSA);
        assertThat(j.ok()).isTrue();
        assertThat(j.sharedVersions()).containsExactly(TLS10, TLS11, TLS12);
        assertThat(j.usableCipherSuites()).containsExactly(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
    }

    @Test
    void summaryListsAtMostThreeSuites() {
        Judgement j = PolicyJudge.judge(List.of(TLS12),
                List.of(TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA,
                        TLS_RSA_WITH_AES_128_GCM_SHA256),
                List.of(), policy("intermediate"), KeyType.ECDSA);
        assertThat(j.summary()).isEqualTo("client offered 4 cipher suites for TLS 1.2 (TLS_RSA_WITH_AES_128_CBC_SHA, "
                + "TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA, …), none of which policy 'intermediate' "
                + "accepts for an ECDSA certificate");
    }
}
