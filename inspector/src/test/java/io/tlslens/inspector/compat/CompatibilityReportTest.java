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
}
