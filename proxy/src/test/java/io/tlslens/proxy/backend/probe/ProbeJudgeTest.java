package io.tlslens.proxy.backend.probe;

import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.corpus.ClientSimulationCorpus;
import io.tlslens.inspector.corpus.SimulatedClient;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameFacts;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameKind;
import io.tlslens.proxy.backend.probe.ProbeFacts.VersionFacts;
import io.tlslens.proxy.backend.probe.ProbeReport.Finding;
import io.tlslens.proxy.backend.probe.ProbeReport.Policy;
import io.tlslens.proxy.backend.probe.ProbeReport.Severity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProbeJudge} on observed facts (no server): named policies, the corpus judgement and its severity, the
 * SNI requirement, a server that accepts nothing, not TLS.
 */
class ProbeJudgeTest {
    private static final List<SimulatedClient> CORPUS = ClientSimulationCorpus.readDefault();
    private static final ChainAnalyzer NO_TRUST = new ChainAnalyzer(List.of());
    private static final List<Integer> ELB_RSA = List.of(0xc02f, 0xc027, 0xc030, 0xc028, 0x009c, 0x003c, 0x009d, 0x003d);

    private static VersionFacts refused(int v, String why) {
        return new VersionFacts(v, List.of(), null, List.of(), List.of(), why);
    }

    private static VersionFacts accepted(int v, List<Integer> suites, List<Integer> groups) {
        return new VersionFacts(v, suites, true, groups, List.of(), null);
    }

    private static ProbeFacts facts(List<VersionFacts> versions, List<NameFacts> names) {
        return new ProbeFacts("web.example.test:443", "web.example.test", null, versions, names, List.of(), 10, 8,
                Duration.ofMillis(5));
    }

    private static List<VersionFacts> tls12(List<Integer> suites) {
        return List.of(refused(0x0300, "alert handshake_failure (40)"), refused(0x0301, "alert protocol_version (70)"),
                refused(0x0302, "alert protocol_version (70)"), accepted(0x0303, suites, List.of(0x001d, 0x0017)),
                refused(0x0304, "alert protocol_version (70)"));
    }

    private static ProbeReport judge(ProbeFacts f) {
        return ProbeJudge.judge(f, "web.example.test", NO_TRUST, CORPUS, null, Instant.now());
    }

    private static boolean satisfied(ProbeReport r, String name) {
        return r.policies().stream().filter(p -> p.name().equals(name)).map(Policy::satisfied).findFirst().orElseThrow();
    }

    @Test
    void theElbTls12ListSatisfiesItsPolicyAndNotMozillaIntermediate() {
        ProbeReport r = judge(facts(tls12(ELB_RSA), List.of()));
        assertThat(satisfied(r, "ELBSecurityPolicy-TLS-1-2-2017-01")).isTrue();
        assertThat(satisfied(r, "ELBSecurityPolicy-TLS13-1-2-2021-06")).isTrue();
        assertThat(satisfied(r, "modern")).isFalse();
        Policy intermediate = r.policies().stream().filter(p -> p.name().equals("intermediate")).findFirst().orElseThrow();
        assertThat(intermediate.satisfied()).isFalse();
        assertThat(intermediate.outside()).contains("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")
                .doesNotContain("TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void legacyClientsFailingIsInformationButCurrentOnesAWarning() {
        ProbeReport tls12 = judge(facts(tls12(ELB_RSA), List.of()));
        assertThat(tls12.corpusClients()).isEqualTo(162);
        assertThat(tls12.failingClients()).isNotEmpty().allMatch(c -> !c.current() || !c.tls12());
        assertThat(tls12.findings()).extracting(Finding::severity).containsOnly(Severity.INFO);
        assertThat(tls12.problemsFound()).isFalse();

        ProbeReport tls13only = judge(facts(List.of(refused(0x0300, "x"), refused(0x0301, "x"), refused(0x0302, "x"),
                refused(0x0303, "alert protocol_version (70)"),
                accepted(0x0304, List.of(0x1301, 0x1302, 0x1303), List.of(0x001d, 0x0017))), List.of()));
        Finding f = tls13only.findings().stream().filter(x -> x.cause().equals("protocol_version_mismatch")).findFirst()
                .orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.summary()).contains("current TLS 1.2+ clients").contains("Android 7.0 (native)");
        assertThat(satisfied(tls13only, "modern")).isTrue();
        assertThat(tls13only.problemsFound()).isTrue();
    }

    @Test
    void aServerThatRefusesMissingSniFailsClientsThatSendNone() {
        List<NameFacts> names = List.of(
                new NameFacts(NameKind.NAME, "web.example.test", 0x0303, true, null, -1, -1, List.of(), null, true),
                new NameFacts(NameKind.NONE, null, 0x0303, false, "alert unrecognized_name (112)", 112, -1, List.of(), null,
                        true));
        ProbeReport r = judge(facts(tls12(List.of(0xc02f, 0xc030, 0xc013, 0xc014, 0x002f, 0x0035)), names));
        assertThat(r.findings()).anyMatch(f -> f.cause().equals("sni_missing") && f.severity() == Severity.WARNING);
        List<String> sniMissing = new ArrayList<>();
        r.failingClients().stream().filter(c -> c.cause().equals("sni_missing")).forEach(c -> sniMissing.add(c.client()));
        assertThat(sniMissing).isNotEmpty();
        for (SimulatedClient c : CORPUS) {
            if (sniMissing.contains(c.name())) {
                String hello = new String(c.handshakeBytes(), StandardCharsets.ISO_8859_1);
                assertThat(hello).as(c.name() + " sends no server_name").doesNotContain("www.ssllabs.com");
            }
        }
    }

    @Test
    void aServerThatAcceptsNothingIsNamedByItsAlerts() {
        ProbeReport r = judge(facts(List.of(refused(0x0300, "alert protocol_version (70)"),
                refused(0x0301, "alert protocol_version (70)"), refused(0x0302, "alert protocol_version (70)"),
                refused(0x0303, "alert protocol_version (70)"), refused(0x0304, "alert protocol_version (70)")), List.of()));
        assertThat(r.findings()).hasSize(1);
        assertThat(r.findings().get(0).cause()).isEqualTo("protocol_version_mismatch");
        assertThat(r.findings().get(0).severity()).isEqualTo(Severity.ERROR);
        assertThat(r.policies()).noneMatch(Policy::satisfied);
        assertThat(r.failingClients()).isEmpty();
    }

    @Test
    void plaintextIsNotTls() {
        ProbeFacts f = new ProbeFacts("h:80", null, "HTTP/1.0 400 Bad".getBytes(StandardCharsets.US_ASCII), List.of(),
                List.of(), List.of(), 1, 1, Duration.ZERO);
        ProbeReport r = judge(f);
        assertThat(r.findings()).singleElement().satisfies(x -> {
            assertThat(x.cause()).isEqualTo("not_tls");
            assertThat(x.summary()).contains("HTTP/1.0 400 Bad");
            assertThat(x.hints()).isNotEmpty();
        });
        assertThat(ProbeOutput.jsonTree(r).path("versions")).isEmpty();
    }

    @Test
    void keysAreNamedAsDesignShowsThem() {
        assertThat(ProbeJudge.key("EC 256")).isEqualTo("ECDSA P-256");
        assertThat(ProbeJudge.key("EC 384")).isEqualTo("ECDSA P-384");
        assertThat(ProbeJudge.key("RSA 2048")).isEqualTo("RSA 2048");
        assertThat(ProbeJudge.key("Ed25519")).isEqualTo("Ed25519");
    }
}
