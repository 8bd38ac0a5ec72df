package io.tlslens.inspector.compat;

import io.tlslens.inspector.corpus.ClientSimulationCorpus;
import io.tlslens.inspector.corpus.CorpusNames;
import io.tlslens.inspector.corpus.SimulatedClient;
import io.tlslens.inspector.policy.Judgement.Verdict;
import io.tlslens.inspector.policy.KeyType;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.wire.ClientHelloReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompatibilityReportTest {
    private static CompatibilityReport report(String policy, KeyType key) throws Exception {
        List<SimulatedClient> corpus = ClientSimulationCorpus.readDefault();
        ClientHelloAggregate agg = new ClientHelloAggregate(1_000, CorpusNames.byJa4(corpus));
        for (SimulatedClient c : corpus) {
            agg.record(ClientHelloReader.read(c.handshakeBytes()));
        }
        return CompatibilityReport.judge(agg.snapshot(), NamedPolicies.byName(policy).orElseThrow(), key, agg.evictions());
    }

    @Test
    void modernRejectsOldClientsForTheRightReasons() throws Exception {
        CompatibilityReport r = report("modern", KeyType.ECDSA);
        assertThat(r.clientHellos()).isEqualTo(162);
        Map<Verdict, List<CompatibilityRow>> causes = r.failuresByCause();
        assertThat(causes.get(Verdict.PROTOCOL_VERSION_MISMATCH))
                .extracting(row -> row.client().clientName())
                .anySatisfy(n -> assertThat(n).contains("IE 6 XP"))
                .anySatisfy(n -> assertThat(n).contains("Android 2.3.7"));
        assertThat(r.failingShare()).isBetween(0.3, 0.9);
        assertThat(r.rows()).filteredOn(row -> row.client().clientName() != null
                && row.client().clientName().contains("Chrome 101")).singleElement()
                .satisfies(row -> {
                    assertThat(row.judgement().ok()).isTrue();
                    assertThat(row.version()).isEqualTo(0x0304);
                    assertThat(row.cipherSuite()).isEqualTo(0x1301);
                });
    }

    @Test
    void oldAcceptsMostAndFailingRowsHaveNoVersion() throws Exception {
        CompatibilityReport r = report("old", KeyType.RSA);
        assertThat(r.failingShare()).isLessThan(0.1);
        for (CompatibilityRow row : r.rows()) {
            if (!row.judgement().ok()) {
                assertThat(row.version()).isZero();
                assertThat(row.cipherSuite()).isEqualTo(-1);
            } else {
                assertThat(row.version()).isBetween(0x0300, 0x0304);
            }
        }
        assertThat(CompatibilityReport.causeCode(Verdict.NO_SHARED_GROUP)).isEqualTo("no_shared_group");
        assertThat(CompatibilityReport.causeCode(Verdict.ALPN_MISMATCH)).isEqualTo("alpn_mismatch");
    }

    private static io.tlslens.inspector.wire.ClientHello recorded(String name) throws Exception {
        try (var in = CompatibilityReportTest.class.getResourceAsStream("/clienthello-judgement/" + name + ".hex")) {
            String hex = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).replaceAll("\\s", "");
            return ClientHelloReader.read(java.util.HexFormat.of().parseHex(hex));
        }
    }

    @Test
    void groupSignatureAndAlpnFailuresArePredictedToo() throws Exception {
        ClientHelloAggregate agg = new ClientHelloAggregate(100, Map.of());
        for (String name : List.of("openssl_groups_ffdhe2048", "openssl_sigalgs_rsa_sha256", "openssl_alpn_foo",
                "openssl_groups_p384_x25519", "curl_http2")) {
            agg.record(recorded(name));
        }
        var intermediate = NamedPolicies.byName("intermediate").orElseThrow();
        CompatibilityReport r = CompatibilityReport.judge(agg.snapshot(), intermediate, KeyType.ECDSA, 0);
        assertThat(r.clientHellos()).isEqualTo(5);
        Map<Verdict, List<CompatibilityRow>> causes = r.failuresByCause();
        assertThat(causes).containsOnlyKeys(Verdict.NO_SHARED_GROUP);
        assertThat(causes.get(Verdict.NO_SHARED_GROUP)).extracting(row -> row.judgement().summary())
                .containsExactlyInAnyOrder(
                        "client offers groups ffdhe2048; policy 'intermediate' accepts X25519MLKEM768, x25519, secp256r1, secp384r1",
                        "client offers only RSA signature schemes; the certificate is ECDSA P-256");
        assertThat(r.rows()).filteredOn(row -> row.judgement().helloRetry()).singleElement()
                .satisfies(row -> assertThat(row.client().representative().keyShareGroups()).containsExactly(0x0018));

        CompatibilityReport h2 = CompatibilityReport.judge(agg.snapshot(), intermediate,
                io.tlslens.inspector.policy.CertificateKey.typical(KeyType.ECDSA), List.of("h2", "http/1.1"), 0);
        assertThat(h2.failuresByCause().get(Verdict.ALPN_MISMATCH)).singleElement()
                .satisfies(row -> assertThat(row.client().representative().alpn()).containsExactly("foo"));
        assertThat(CompatibilityReport.causeCode(Verdict.ALPN_MISMATCH)).isEqualTo("alpn_mismatch");
    }
}
