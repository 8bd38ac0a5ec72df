package io.tlslens.inspector.policy;

import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloReader;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.List;

import static io.tlslens.inspector.policy.CipherSuites.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/diagnosis.md step 4 beyond versions and cipher suites: named groups (with the HelloRetryRequest a missing
 * key share costs), the signature schemes the certificate's key can make, and ALPN; on ClientHellos recorded
 * from openssl and curl (resources/clienthello-judgement) and on constructed ones.
 */
class GroupsSignaturesAlpnTest {
    private static final int TLS12 = 0x0303, TLS13 = 0x0304;
    private static final int X25519 = 0x001D, SECP256R1 = 0x0017, SECP384R1 = 0x0018, X25519MLKEM768 = 0x11EC;
    private static final int ECDSA_P256_SHA256 = 0x0403, ECDSA_SHA1 = 0x0203, RSA_PSS_RSAE_SHA256 = 0x0804,
            RSA_PKCS1_SHA256 = 0x0401;
    private static final CertificateKey P256 = CertificateKey.typical(KeyType.ECDSA);
    private static final CertificateKey P384 = new CertificateKey(KeyType.ECDSA, CertificateKey.SECP384R1, 384);
    private static final CertificateKey RSA = CertificateKey.typical(KeyType.RSA);
    private static final List<String> H2 = List.of("h2", "http/1.1");
    private static final String WEB = "listener 'web'";

    private static TlsPolicy policy(String name) {
        return NamedPolicies.byName(name).orElseThrow();
    }

    private static ClientHello recorded(String name) throws Exception {
        try (InputStream in = GroupsSignaturesAlpnTest.class.getResourceAsStream("/clienthello-judgement/" + name + ".hex")) {
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s", "");
            return ClientHelloReader.read(HexFormat.of().parseHex(hex));
        }
    }

    private static Judgement judge(ClientHello h, String policy, CertificateKey key, List<String> alpn) {
        return PolicyJudge.judge(ClientOffer.of(h), policy(policy), key, alpn, WEB);
    }

    @Test
    void ffdhe2048OnlyIsNoSharedGroupNamingBothLists() throws Exception {
        ClientHello h = recorded("openssl_groups_ffdhe2048");
        assertThat(h.supportedGroups()).containsExactly(0x0100);
        Judgement old = judge(h, "old", P256, List.of());
        assertThat(old.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(old.version()).isEqualTo(TLS13);
        assertThat(old.summary()).isEqualTo("client offers groups ffdhe2048; listener 'web' accepts x25519, secp256r1, secp384r1");
        Judgement intermediate = judge(h, "intermediate", P256, List.of());
        assertThat(intermediate.summary()).isEqualTo("client offers groups ffdhe2048; listener 'web' accepts X25519MLKEM768, "
                + "x25519, secp256r1, secp384r1");
    }

    @Test
    void rsaOnlySignatureSchemesAgainstAnEcdsaCertificate() throws Exception {
        ClientHello h = recorded("openssl_sigalgs_rsa_sha256");
        assertThat(h.signatureSchemes()).containsExactly(RSA_PKCS1_SHA256);
        Judgement ecdsa = judge(h, "intermediate", P256, List.of());
        assertThat(ecdsa.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(ecdsa.summary()).isEqualTo("client offers only RSA signature schemes; the certificate is ECDSA P-256");
        // an RSA key cannot use PKCS#1 in TLS 1.3 either
        Judgement rsa13 = judge(h, "intermediate", RSA, List.of());
        assertThat(rsa13.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(rsa13.summary()).startsWith("client offers only RSA PKCS#1 signature schemes, which TLS 1.3 does not allow")
                .contains("the certificate is RSA 2048");
        // in TLS 1.2 it can
        Judgement rsa12 = judge(h, "ELBSecurityPolicy-TLS-1-2-2017-01", RSA, List.of());
        assertThat(rsa12.ok()).as(rsa12.summary()).isTrue();
        assertThat(rsa12.signatureScheme()).isEqualTo(RSA_PKCS1_SHA256);
    }

    @Test
    void aTls13Ecdsa384CertificateSignsOnlyWithItsOwnCurve() {
        ClientOffer offer = new ClientOffer(List.of(TLS13), List.of(TLS_AES_128_GCM_SHA256), List.of(X25519),
                List.of(X25519), List.of(ECDSA_P256_SHA256, RSA_PSS_RSAE_SHA256), List.of());
        Judgement j = PolicyJudge.judge(offer, policy("modern"), P384, List.of(), WEB);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(j.summary()).isEqualTo("client offers signature schemes ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256 for "
                + "TLS 1.3; the certificate is ECDSA P-384, which signs with ecdsa_secp384r1_sha384");
        assertThat(PolicyJudge.judge(offer, policy("modern"), P256, List.of(), WEB).signatureScheme())
                .isEqualTo(ECDSA_P256_SHA256);
    }

    @Test
    void tls12NeedsTheEcdsaCertificatesCurveInTheClientsGroups() {
        ClientOffer x25519Only = new ClientOffer(List.of(TLS12), List.of(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
                List.of(X25519), List.of(), List.of(ECDSA_P256_SHA256), List.of());
        Judgement j = PolicyJudge.judge(x25519Only, policy("intermediate"), P256, List.of(), WEB);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(j.summary()).isEqualTo("client offers groups x25519 for TLS 1.2, not secp256r1, the curve of the "
                + "certificate (ECDSA P-256), which a TLS 1.2 client must list");
        ClientOffer both = new ClientOffer(List.of(TLS12), List.of(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
                List.of(X25519, SECP256R1), List.of(), List.of(), List.of());
        Judgement ok = PolicyJudge.judge(both, policy("intermediate"), P256, List.of(), WEB);
        assertThat(ok.ok()).as(ok.summary()).isTrue();
        assertThat(ok.group()).isEqualTo(X25519);
        assertThat(ok.signatureScheme()).as("no signature_algorithms in TLS 1.2: SHA-1 (RFC 5246 §7.4.1.4.1)")
                .isEqualTo(ECDSA_SHA1);
    }

    @Test
    void aGroupSupportedWithoutAKeyShareCostsAHelloRetryRequest() throws Exception {
        ClientHello h = recorded("openssl_groups_p384_x25519");
        assertThat(h.keyShareGroups()).containsExactly(SECP384R1);
        Judgement j = judge(h, "intermediate", P256, List.of());
        assertThat(j.ok()).isTrue();
        assertThat(j.group()).as("the listener's preference decides").isEqualTo(X25519);
        assertThat(j.helloRetry()).isTrue();
        assertThat(j.summary()).contains("group x25519 after a HelloRetryRequest");
        assertThat(j.helloRetryNote(h.keyShareGroups(), WEB)).isEqualTo("the client sent key shares for secp384r1 but "
                + "listener 'web' prefers x25519, which the client also supports: a HelloRetryRequest asks for it (one more "
                + "round trip)");
    }

    @Test
    void postQuantumGroupsAreNamedAndPreferredWhenBothHaveThem() {
        ClientOffer chrome = new ClientOffer(List.of(TLS12, TLS13), List.of(TLS_AES_128_GCM_SHA256),
                List.of(0x0A0A, X25519MLKEM768, X25519, SECP256R1), List.of(0x0A0A, X25519MLKEM768, X25519),
                List.of(ECDSA_P256_SHA256, RSA_PSS_RSAE_SHA256), H2);
        Judgement pq = PolicyJudge.judge(chrome, policy("intermediate"), P256, List.of(), WEB);
        assertThat(pq.group()).isEqualTo(X25519MLKEM768);
        assertThat(pq.helloRetry()).isFalse();
        assertThat(pq.summary()).contains("group X25519MLKEM768").doesNotContain("0x11ec");
        Judgement classic = PolicyJudge.judge(chrome, policy("old"), P256, List.of(), WEB);
        assertThat(classic.group()).isEqualTo(X25519);
        assertThat(classic.helloRetry()).isFalse();

        ClientOffer pqOnly = new ClientOffer(List.of(TLS13), List.of(TLS_AES_128_GCM_SHA256),
                List.of(X25519MLKEM768, 0x11EB, 0x11ED, 0x6399), List.of(X25519MLKEM768), List.of(ECDSA_P256_SHA256), List.of());
        Judgement none = PolicyJudge.judge(pqOnly, policy("old"), P256, List.of(), WEB);
        assertThat(none.verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
        assertThat(none.summary()).isEqualTo("client offers groups X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, "
                + "X25519Kyber768Draft00; listener 'web' accepts x25519, secp256r1, secp384r1");
    }

    @Test
    void alpnSharingNothingIsAlpnMismatchWithBothLists() throws Exception {
        ClientHello foo = recorded("openssl_alpn_foo");
        assertThat(foo.alpn()).containsExactly("foo");
        Judgement j = judge(foo, "intermediate", P256, H2);
        assertThat(j.verdict()).isEqualTo(Judgement.Verdict.ALPN_MISMATCH);
        assertThat(j.summary()).isEqualTo("client offers ALPN foo; listener 'web' accepts h2, http/1.1");
        assertThat(judge(foo, "intermediate", P256, List.of()).ok()).as("no ALPN configured: nothing to match").isTrue();

        Judgement curl = judge(recorded("curl_http2"), "intermediate", P256, H2);
        assertThat(curl.ok()).isTrue();
        assertThat(curl.alpn()).isEqualTo("h2");
        Judgement http11 = judge(recorded("curl_http2"), "intermediate", P256, List.of("http/1.1"));
        assertThat(http11.alpn()).isEqualTo("http/1.1");

        ClientHello none = recorded("openssl_groups_p384_x25519");
        assertThat(none.alpn()).isEmpty();
        assertThat(judge(none, "intermediate", P256, H2).ok()).as("a client without ALPN negotiates none (RFC 7301)").isTrue();
    }

    @Test
    void versionsAndCipherSuitesAreJudgedBeforeGroupsAndAlpn() throws Exception {
        ClientHello foo = recorded("openssl_alpn_foo");
        TlsPolicy ssl3 = new TlsPolicy("legacy", List.of(0x0300), List.of(TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA), List.of(),
                List.of(X25519, SECP256R1), List.of());
        assertThat(PolicyJudge.judge(ClientOffer.of(foo), ssl3, P256, H2, WEB).verdict())
                .isEqualTo(Judgement.Verdict.PROTOCOL_VERSION_MISMATCH);
        ClientHello ffdhe = recorded("openssl_groups_ffdhe2048");
        assertThat(judge(ffdhe, "intermediate", P256, List.of("nope")).verdict()).isEqualTo(Judgement.Verdict.NO_SHARED_GROUP);
    }

    @Test
    void certificateKeysFromRealKeys() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        CertificateKey p384 = CertificateKey.of(ec.generateKeyPair().getPublic());
        assertThat(p384.curve()).isEqualTo(CertificateKey.SECP384R1);
        assertThat(p384.label()).isEqualTo("ECDSA P-384");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        CertificateKey r = CertificateKey.of(rsa.generateKeyPair().getPublic());
        assertThat(r.label()).isEqualTo("RSA 2048");
        assertThat(r.signatureSchemes(TLS13)).containsExactly(0x0804, 0x0805, 0x0806);
        assertThat(r.signatureSchemes(TLS12)).contains(RSA_PKCS1_SHA256, 0x0201);
        CertificateKey ed = CertificateKey.of(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        assertThat(ed.label()).isEqualTo("Ed25519");
        assertThat(ed.signatureSchemes(TLS13)).containsExactly(0x0807);
        assertThat(P256.signatureSchemes(TLS12)).contains(ECDSA_P256_SHA256, ECDSA_SHA1);
        assertThat(P256.signatureSchemes(0x0302)).as("no negotiation below TLS 1.2").isEmpty();
    }
}
