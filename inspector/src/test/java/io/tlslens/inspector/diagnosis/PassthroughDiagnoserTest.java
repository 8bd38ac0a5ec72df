package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.cert.TestPki;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.Fixtures;
import io.tlslens.inspector.wire.ServerHello;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The passthrough decision procedure on recorded ClientHellos and Bouncy Castle chains. */
class PassthroughDiagnoserTest {
    private static final TestPki.Issued ROOT = TestPki.root("PT Root");
    private static final TestPki.Issued INTER = TestPki.intermediate("PT Intermediate", ROOT);
    private static final ChainAnalyzer ANALYZER = new ChainAnalyzer(List.of());
    private static final ServerHello TLS13 = new ServerHello(0x0303, 0x1302, 0x0304, false, List.of(43, 51));
    private final PassthroughDiagnoser diagnoser = new PassthroughDiagnoser();

    private static ClientHello hello(String fixture) {
        return Fixtures.clientHello(fixture);
    }

    /** A chain under a root nobody here trusts: no definite problem, one client-dependent one. */
    private static ChainAnalysis privateChain() {
        return ANALYZER.analyze(List.of(TestPki.leaf("example.com", INTER, "example.com", "localhost").cert(), INTER.cert()));
    }

    private static PassthroughFacts facts(ClientHello h, PassthroughFacts.End end, ServerHello sh, Alert client,
                                          Alert backend, PassthroughFacts.ClientShape shape, ProbedBackend probe) {
        return new PassthroughFacts("pt", "127.0.0.1:9001", end, 600, 200, null, null, h, null, null, null, false, sh,
                null, client, backend, shape, shape == PassthroughFacts.ClientShape.COMPLETED_NO_DATA, "", probe,
                h.serverName() == null ? "127.0.0.1" : h.serverName(), TestPki.NOW);
    }

    private Diagnosis diagnose(PassthroughFacts f) {
        Optional<Diagnosis> d = diagnoser.diagnose(f);
        assertThat(d).isPresent();
        return d.get();
    }

    @Test
    void sealedAlertIsJudgedWithTheProbedChain() {
        ProbedBackend probe = new ProbedBackend(privateChain(), Map.of(0x0304, 0x1302), Set.of(0x0304), null);
        Diagnosis d = diagnose(facts(hello("curl_sni"), PassthroughFacts.End.CLIENT_CLOSED, TLS13, null, null,
                PassthroughFacts.ClientShape.SEALED_ALERT, probe));
        assertThat(d.cause()).isEqualTo(Cause.CERTIFICATE_UNTRUSTED);
        assertThat(d.alertSender()).isEqualTo(AlertSender.NONE);
        assertThat(d.evidence().get("shape")).contains("sealed alert");
    }

    @Test
    void sealedAlertWithoutAnyChainIsAPeerAlertWithTheShape() {
        Diagnosis d = diagnose(facts(hello("curl_sni"), PassthroughFacts.End.CLIENT_CLOSED, TLS13, null, null,
                PassthroughFacts.ClientShape.SEALED_ALERT, null));
        assertThat(d.cause()).isEqualTo(Cause.PEER_ALERT);
        assertThat(d.summary()).contains("chain is unknown");
    }

    @Test
    void completedHandshakeThenCloseWithAChainTheClientTrustedIsNoFailure() {
        ProbedBackend probe = new ProbedBackend(privateChain(), Map.of(0x0304, 0x1302), Set.of(0x0304), null);
        assertThat(diagnoser.diagnose(facts(hello("curl_sni"), PassthroughFacts.End.CLIENT_CLOSED, TLS13, null, null,
                PassthroughFacts.ClientShape.COMPLETED_NO_DATA, probe))).isEmpty();
    }

    @Test
    void aClientThatSentApplicationDataFinishedItsHandshakeWhoeverClosedAfterwards() {
        for (PassthroughFacts.End end : List.of(PassthroughFacts.End.CLIENT_CLOSED, PassthroughFacts.End.BACKEND_CLOSED)) {
            assertThat(diagnoser.diagnose(facts(hello("curl_sni"), end, TLS13, null, null,
                    PassthroughFacts.ClientShape.APPLICATION_DATA, null))).as(end.toString()).isEmpty();
        }
        // a fatal alert from the backend after the client's data still is one (TLS 1.3 mTLS: certificate_required)
        assertThat(diagnose(facts(hello("curl_sni"), PassthroughFacts.End.BACKEND_CLOSED, TLS13, null, new Alert(2, 116),
                PassthroughFacts.ClientShape.APPLICATION_DATA, null)).cause()).isEqualTo(Cause.PEER_ALERT);
    }

    @Test
    void backendAlertToTheClientHelloIsDecidedByTheProbe() {
        ClientHello tls10 = hello("openssl_tls10");
        ProbedBackend onlyTls12 = new ProbedBackend(null, Map.of(0x0303, 0xc02b), Set.of(0x0301, 0x0302, 0x0303, 0x0304), null);
        Diagnosis v = diagnose(facts(tls10, PassthroughFacts.End.BACKEND_CLOSED, null, null, new Alert(2, 80), null, onlyTls12));
        assertThat(v.cause()).isEqualTo(Cause.PROTOCOL_VERSION_MISMATCH);
        assertThat(v.alertSender()).isEqualTo(AlertSender.BACKEND);
        assertThat(v.evidence().get("backend_versions")).isEqualTo("TLS 1.2");

        ClientHello curl = hello("curl_sni");
        ProbedBackend oddCipher = new ProbedBackend(null, Map.of(0x0303, 0x0005), Set.of(0x0303, 0x0304), null);
        Diagnosis c = diagnose(facts(curl, PassthroughFacts.End.BACKEND_CLOSED, null, null, new Alert(2, 40), null, oddCipher));
        assertThat(c.cause()).isEqualTo(Cause.NO_SHARED_CIPHER);
    }

    @Test
    void noApplicationProtocolFromTheBackendIsAlpnMismatch() {
        Diagnosis d = diagnose(facts(hello("openssl_tls13"), PassthroughFacts.End.BACKEND_CLOSED, null, null,
                new Alert(2, 120), null, null));
        assertThat(d.cause()).isEqualTo(Cause.ALPN_MISMATCH);
        assertThat(d.alertSender()).isEqualTo(AlertSender.BACKEND);
        assertThat(d.summary()).contains("h2, http/1.1");
    }

    @Test
    void protocolVersionAlertWithoutAProbeIsStillAVersionMismatch() {
        Diagnosis d = diagnose(facts(hello("openssl_tls12"), PassthroughFacts.End.BACKEND_CLOSED, null, null,
                new Alert(2, 70), null, null));
        assertThat(d.cause()).isEqualTo(Cause.PROTOCOL_VERSION_MISMATCH);
    }

    @Test
    void sniUnknownNamesTheProxyAsSenderOfUnrecognizedName() {
        ClientHello h = hello("curl_sni");
        PassthroughFacts f = new PassthroughFacts("pt", null, PassthroughFacts.End.REFUSED, 500, 0, null, null, h, null,
                null, null, true, null, null, null, null, null, false, "", null, h.serverName(), TestPki.NOW);
        Diagnosis d = diagnose(f);
        assertThat(d.cause()).isEqualTo(Cause.SNI_UNKNOWN);
        assertThat(d.alert().description()).isEqualTo(112);
        assertThat(d.alertSender()).isEqualTo(AlertSender.PROXY);
    }
}
