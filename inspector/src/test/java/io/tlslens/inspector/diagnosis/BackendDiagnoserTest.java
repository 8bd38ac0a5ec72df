package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.cert.TestPki;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The backend leg of docs/diagnosis.md: tlslens is the client; the backend's answer is the evidence. */
class BackendDiagnoserTest {
    private static final TlsPolicy POLICY = NamedPolicies.byName("intermediate").orElseThrow();
    private static final TestPki.Issued ROOT = TestPki.root("Backend Root");
    private static final TestPki.Issued INTER = TestPki.intermediate("Backend Intermediate", ROOT);
    private final BackendDiagnoser diagnoser = new BackendDiagnoser();

    private static ClientHello ours() {
        ClientHello h = Fixtures.clientHello("openssl_tls13");
        // as tlslens offers with policy intermediate: TLS 1.3 and 1.2 only
        return new ClientHello(h.recordVersion(), h.legacyVersion(), h.cipherSuites(), h.extensionTypes(), h.serverName(),
                h.alpn(), List.of(0x0304, 0x0303), h.supportedGroups(), h.signatureSchemes(), h.signatureSchemesCert(),
                h.ecPointFormats(), h.keyShareGroups(), h.pskKeyExchangeModes(), h.statusRequest(), h.renegotiationInfo(),
                h.encryptedClientHello(), h.sslv2Compatible());
    }

    private static BackendFacts facts(Ending ending, byte[] first, boolean serverHello, boolean certRequest, boolean complete,
                                      Alert received, VerifierResult verifier, ChainAnalysis chain, boolean clientCert,
                                      ProbedBackend caps) {
        return new BackendFacts("web", ending, 100, first, ours(), serverHello, certRequest, complete, received, null,
                EngineError.NONE, verifier, chain, "backend.internal", clientCert, caps, POLICY, TestPki.NOW);
    }

    private Diagnosis diagnose(BackendFacts f) {
        return diagnoser.diagnose(f).orElseThrow();
    }

    @Test
    void aPlaintextAnswerIsNotTls() {
        Diagnosis d = diagnose(facts(Ending.ENGINE_FAILURE, "HTTP/1.1 400 Bad Request".getBytes(StandardCharsets.US_ASCII),
                false, false, false, null, null, null, false, null));
        assertThat(d.cause()).isEqualTo(Cause.NOT_TLS);
        assertThat(d.hints().get(0)).contains("backend.tls.enabled = false");
    }

    @Test
    void alertsAfterOurClientHelloAreDecidedByWhatTheBackendAccepts() {
        Diagnosis version = diagnose(facts(Ending.ENGINE_FAILURE, null, false, false, false, new Alert(2, 70), null, null,
                false, null));
        assertThat(version.cause()).isEqualTo(Cause.PROTOCOL_VERSION_MISMATCH);
        assertThat(version.alertSender()).isEqualTo(AlertSender.BACKEND);

        Diagnosis byProbe = diagnose(facts(Ending.ENGINE_FAILURE, null, false, false, false, new Alert(2, 40), null, null,
                false, new ProbedBackend(null, java.util.Map.of(0x0301, 0xC013, 0x0302, 0xC013), java.util.Set.of(0x0301, 0x0302, 0x0303, 0x0304), null)));
        assertThat(byProbe.cause()).as("handshake_failure, but the probe says only TLS 1.0–1.1").isEqualTo(Cause.PROTOCOL_VERSION_MISMATCH);
        assertThat(byProbe.summary()).contains("backend accepts TLS 1.0–1.1 (probe)");

        assertThat(ours().cipherSuites()).doesNotContain(0x000A).contains(0x002F);
        Diagnosis cipher = diagnose(facts(Ending.ENGINE_FAILURE, null, false, false, false, new Alert(2, 40), null, null,
                false, new ProbedBackend(null, java.util.Map.of(0x0303, 0x000A), java.util.Set.of(0x0301, 0x0302, 0x0303, 0x0304), null)));
        assertThat(cipher.cause()).as("the probe's TLS 1.2 choice is a suite we do not offer").isEqualTo(Cause.NO_SHARED_CIPHER);
        assertThat(cipher.summary()).contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA");

        Diagnosis group = diagnose(facts(Ending.ENGINE_FAILURE, null, false, false, false, new Alert(2, 40), null, null,
                false, new ProbedBackend(null, java.util.Map.of(0x0303, 0x002F), java.util.Set.of(0x0301, 0x0302, 0x0303, 0x0304), null)));
        assertThat(group.cause()).as("a version and a suite we offer were accepted by the probe: the groups differ")
                .isEqualTo(Cause.NO_SHARED_GROUP);
        assertThat(group.summary()).contains("with a cipher suite we offer").contains("TLS_RSA_WITH_AES_128_CBC_SHA")
                .contains("no key-exchange group");
        assertThat(group.evidence().get("offered_groups")).contains("x25519");
    }

    @Test
    void noApplicationProtocolFromTheBackendIsAlpnMismatch() {
        Diagnosis d = diagnose(facts(Ending.ENGINE_FAILURE, null, false, false, false, new Alert(2, 120), null, null,
                false, null));
        assertThat(d.cause()).isEqualTo(Cause.ALPN_MISMATCH);
        assertThat(d.alertSender()).isEqualTo(AlertSender.BACKEND);
        assertThat(d.alertLabel()).isEqualTo("no_application_protocol");
        assertThat(d.summary()).contains("h2, http/1.1").contains("backend.tls.alpn");
        assertThat(d.hints().get(0)).contains("backend.tls.alpn");
    }

    @Test
    void noTrustAnchorForALeafSentAloneIsAnIncompleteChain() {
        ChainAnalysis leafOnly = new ChainAnalyzer(List.of(ROOT.cert()))
                .analyze(List.of(TestPki.leaf("backend", INTER, "backend.internal").cert()));
        Diagnosis d = diagnose(facts(Ending.ENGINE_FAILURE, null, true, false, false, null,
                new VerifierResult(VerifierResult.Problem.NO_TRUST_ANCHOR, "PKIX: NO_TRUST_ANCHOR"), leafOnly, false, null));
        assertThat(d.cause()).isEqualTo(Cause.CERTIFICATE_CHAIN_INCOMPLETE);
        assertThat(d.evidence()).containsEntry("chain_received", "1");
    }

    @Test
    void mutualTlsMissingAndRejected() {
        Diagnosis missing = diagnose(facts(Ending.ENGINE_FAILURE, null, true, false, true, new Alert(2, 116), null, null,
                false, null));
        assertThat(missing.cause()).isEqualTo(Cause.CLIENT_CERTIFICATE_MISSING);
        Diagnosis rejected = diagnose(facts(Ending.ENGINE_FAILURE, null, true, true, false, new Alert(2, 48), null, null,
                true, null));
        assertThat(rejected.cause()).isEqualTo(Cause.CLIENT_CERTIFICATE_REJECTED);
        assertThat(rejected.evidence()).containsEntry("reason", "backend alert unknown_ca");
    }

    @Test
    void aCompletedHandshakeClosedWithoutAnAlertIsNotAFailure() {
        assertThat(diagnoser.diagnose(facts(Ending.CLOSED_AFTER_HANDSHAKE, null, true, false, true, null, null, null, false,
                null))).isEmpty();
    }
}
