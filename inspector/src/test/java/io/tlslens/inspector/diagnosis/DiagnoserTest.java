package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.cert.TestPki;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision procedure of docs/diagnosis.md on recorded ClientHellos (openssl, curl, JDK) and chains
 * made with Bouncy Castle: one test per rule, in the documented order.
 */
class DiagnoserTest {
    private static final Instant NOW = TestPki.NOW;
    private static final TlsPolicy INTERMEDIATE = engine(NamedPolicies.byName("intermediate").orElseThrow());
    private final Diagnoser diagnoser = new Diagnoser();

    private static final TestPki.Issued ROOT = TestPki.root("Diag Root");
    private static final TestPki.Issued INTER = TestPki.intermediate("Diag Intermediate", ROOT);
    private static final ChainAnalyzer ANALYZER = new ChainAnalyzer(List.of(ROOT.cert()));

    /** intermediate as BoringSSL serves it: no DHE suites. */
    private static TlsPolicy engine(TlsPolicy p) {
        return new TlsPolicy(p.name(), p.versions(), p.cipherSuites().stream().filter(c -> c < 0x0090 || c > 0x00ff)
                .filter(c -> c != 0xCCAA).toList(), List.of(0x1301, 0x1302, 0x1303), p.groups(), p.signatureSchemes());
    }

    private static ClientHello hello(String fixture) {
        return Fixtures.clientHello(fixture);
    }

    private static ChainAnalysis goodChain() {
        return ANALYZER.analyze(List.of(TestPki.leaf("localhost", INTER, "localhost").cert(), INTER.cert()));
    }

    private record F(Ending ending, long bytes, byte[] first, ClientHello hello, HandshakeFacts.PartialRecord partial,
                     boolean flight, boolean complete, Alert received, Alert sent, EngineError engine, ChainAnalysis chain,
                     String name, boolean requireSni) {
        HandshakeFacts facts() {
            return facts(List.of());
        }

        HandshakeFacts facts(List<String> alpn) {
            return new HandshakeFacts("web", Leg.FRONTEND, ending, bytes, first, hello, null, partial, flight, complete,
                    received, sent, engine, INTERMEDIATE, chain, name, requireSni, NOW, null, alpn);
        }
    }

    private static F f(Ending ending, ClientHello hello) {
        return new F(ending, hello == null ? 0 : 500, null, hello, null, false, false, null, null, EngineError.NONE,
                goodChain(), hello == null ? null : hello.serverName(), false);
    }

    private Diagnosis diagnose(F f) {
        Optional<Diagnosis> d = diagnoser.diagnose(f.facts());
        assertThat(d).as("a failure").isPresent();
        return d.get();
    }

    @Test
    void closedBeforeTheFirstByteIsNotAFailure() {
        assertThat(diagnoser.diagnose(f(Ending.PEER_CLOSED, null).facts())).isEmpty();
    }

    @Test
    void httpBytesArePlaintextHttpOtherBytesAreNotTls() {
        F base = f(Ending.REJECTED_BY_PROXY, null);
        Diagnosis http = diagnose(new F(base.ending(), 18, "GET / HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII), null,
                null, false, false, null, null, EngineError.NONE, base.chain(), null, false));
        assertThat(http.cause()).isEqualTo(Cause.PLAINTEXT_HTTP_TO_TLS_PORT);
        Diagnosis ssh = diagnose(new F(base.ending(), 8, "SSH-2.0-".getBytes(StandardCharsets.US_ASCII), null, null, false,
                false, null, null, EngineError.NONE, base.chain(), null, false));
        assertThat(ssh.cause()).isEqualTo(Cause.NOT_TLS);
        assertThat(ssh.evidence()).containsEntry("first_bytes_hex", "5353482d322e302d");
    }

    @Test
    void aPartialRecordThatStalledIsATimeoutWithMtuSuspected() {
        Diagnosis d = diagnose(new F(Ending.TIMEOUT, 120, null, null, new HandshakeFacts.PartialRecord(120, 517), false,
                false, null, null, EngineError.NONE, goodChain(), null, false));
        assertThat(d.cause()).isEqualTo(Cause.HANDSHAKE_TIMEOUT);
        assertThat(d.evidence()).containsEntry("stage", "client_hello").containsEntry("mtu_suspected", "true");
        assertThat(d.summary()).contains("120 of 517 bytes");
    }

    /** A 1,474-byte post-quantum ClientHello of which the first TCP segment (one whole record of two) came. */
    @Test
    void aLargeClientHelloThatStalledBetweenRecordsNamesItsSizeAndTheMtu() {
        Diagnosis d = diagnose(new F(Ending.TIMEOUT, 1005, null, null, new HandshakeFacts.PartialRecord(0, -1, 1000, 1474),
                false, false, null, null, EngineError.NONE, goodChain(), null, false));
        assertThat(d.cause()).isEqualTo(Cause.HANDSHAKE_TIMEOUT);
        assertThat(d.evidence()).containsEntry("mtu_suspected", "true")
                .containsEntry("client_hello_bytes_expected", "1474").containsEntry("client_hello_bytes_received", "1000")
                .doesNotContainKey("partial_record_bytes");
        assertThat(d.summary()).contains("the ClientHello (1474 bytes) arrived only in part (1000 bytes)")
                .contains("path-MTU").contains("post-quantum");
    }

    @Test
    void aTls10OnlyClientIsAVersionMismatch() {
        ClientHello tls10 = hello("openssl_tls10");
        Diagnosis d = diagnose(new F(Ending.ENGINE_FAILURE, 300, null, tls10, null, false, false, null, new Alert(2, 70),
                EngineError.parse("error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL"), goodChain(),
                tls10.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.PROTOCOL_VERSION_MISMATCH);
        assertThat(d.summary()).contains("TLS 1.0").contains("TLS 1.2–1.3");
        assertThat(d.alertLabel()).isEqualTo("protocol_version");
        assertThat(d.alertSender()).isEqualTo(AlertSender.PROXY);
        assertThat(d.hints()).anyMatch(h -> h.startsWith("nginx:")).anyMatch(h -> h.startsWith("AWS ALB:"));
    }

    @Test
    void theEnginesRefusalIsReportedWhenTheJudgementFoundOverlap() {
        ClientHello modern = hello("openssl_tls13");
        Diagnosis d = diagnose(new F(Ending.ENGINE_FAILURE, 300, null, modern, null, false, false, null, new Alert(2, 40),
                EngineError.parse("error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER"), goodChain(),
                modern.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.NO_SHARED_CIPHER);
        assertThat(d.evidence()).containsKey("judgement_disagreement");
    }

    private static ClientHello recorded(String name) {
        try (var in = DiagnoserTest.class.getResourceAsStream("/clienthello-judgement/" + name + ".hex")) {
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s", "");
            return io.tlslens.inspector.wire.ClientHelloReader.read(java.util.HexFormat.of().parseHex(hex));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void ffdhe2048OnlyIsNoSharedGroupAndTheEngineAgrees() {
        ClientHello h = recorded("openssl_groups_ffdhe2048");
        Diagnosis d = diagnose(new F(Ending.ENGINE_FAILURE, 300, null, h, null, false, false, null, new Alert(2, 40),
                EngineError.parse("error:1000010a:SSL routines:OPENSSL_internal:NO_SHARED_GROUP"), goodChain(),
                h.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.NO_SHARED_GROUP);
        assertThat(d.summary()).isEqualTo("client offers groups ffdhe2048; listener 'web' accepts X25519MLKEM768, x25519, "
                + "secp256r1, secp384r1");
        assertThat(d.evidence()).doesNotContainKey("judgement_disagreement")
                .containsEntry("client_groups", "ffdhe2048").containsEntry("client_key_share_groups", "ffdhe2048")
                .containsEntry("listener_groups", "X25519MLKEM768, x25519, secp256r1, secp384r1")
                .containsEntry("certificate_key", "ECDSA P-256");
        assertThat(d.hints()).anyMatch(x -> x.startsWith("nginx: ssl_ecdh_curve"));
    }

    @Test
    void rsaOnlySignatureSchemesAgainstOurEcdsaCertificate() {
        ClientHello h = recorded("openssl_sigalgs_rsa_sha256");
        Diagnosis d = diagnose(new F(Ending.ENGINE_FAILURE, 300, null, h, null, false, false, null, new Alert(2, 40),
                EngineError.parse("error:100000fd:SSL routines:OPENSSL_internal:NO_COMMON_SIGNATURE_ALGORITHMS"), goodChain(),
                h.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.NO_SHARED_GROUP);
        assertThat(d.summary()).isEqualTo("client offers only RSA signature schemes; the certificate is ECDSA P-256");
        assertThat(d.evidence()).containsEntry("client_signature_schemes", "rsa_pkcs1_sha256")
                .containsEntry("certificate_signature_schemes", "ecdsa_secp256r1_sha256")
                .doesNotContainKey("judgement_disagreement");
    }

    @Test
    void alpnSharingNothingWithTheListenerIsAlpnMismatch() {
        ClientHello h = recorded("openssl_alpn_foo");
        F refused = new F(Ending.REJECTED_BY_PROXY, 300, null, h, null, false, false, null, new Alert(2, 120),
                EngineError.NONE, goodChain(), h.serverName(), true);
        Diagnosis d = diagnoser.diagnose(refused.facts(List.of("h2", "http/1.1"))).orElseThrow();
        assertThat(d.cause()).as("ALPN is judged before SNI").isEqualTo(Cause.ALPN_MISMATCH);
        assertThat(d.summary()).isEqualTo("client offers ALPN foo; listener 'web' accepts h2, http/1.1");
        assertThat(d.alertLabel()).isEqualTo("no_application_protocol");
        assertThat(d.alertSender()).isEqualTo(AlertSender.PROXY);
        assertThat(d.evidence()).containsEntry("client_alpn", "foo").containsEntry("listener_alpn", "h2, http/1.1");
        assertThat(d.hints()).anyMatch(x -> x.startsWith("nginx:") && x.contains("http2"))
                .anyMatch(x -> x.startsWith("HAProxy:") && x.contains("alpn h2,http/1.1"))
                .anyMatch(x -> x.startsWith("AWS ALB:")).anyMatch(x -> x.startsWith("Kubernetes ingress-nginx:"));
    }

    @Test
    void aHelloRetryRequestTheClientHelloCostIsInTheEvidence() {
        ClientHello h = recorded("openssl_groups_p384_x25519");
        Diagnosis d = diagnose(new F(Ending.TIMEOUT, 300, null, h, null, true, false, null, null, EngineError.NONE,
                goodChain(), h.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.HANDSHAKE_TIMEOUT);
        assertThat(d.evidence().get("hello_retry_request")).contains("key shares for secp384r1").contains("prefers x25519");
    }

    @Test
    void noServerNameOnAListenerThatRequiresSni() {
        ClientHello noSni = hello("openssl_nosni");
        assertThat(noSni.serverName()).isNull();
        Diagnosis d = diagnose(new F(Ending.REJECTED_BY_PROXY, 300, null, noSni, null, false, false, null, new Alert(2, 109),
                EngineError.NONE, goodChain(), "127.0.0.1", true));
        assertThat(d.cause()).isEqualTo(Cause.SNI_MISSING);
        assertThat(d.alertLabel()).isEqualTo("missing_extension");
    }

    @Test
    void aCertificateAlertSelectsAmongTheChainsProblems() {
        ClientHello h = hello("curl_sni");
        ChainAnalysis expired = ANALYZER.analyze(List.of(TestPki.issue(new TestPki.Spec("CN=" + h.serverName())
                .dns(h.serverName()).validity(NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(1))), INTER).cert(),
                INTER.cert()));
        Diagnosis d = diagnose(new F(Ending.ENGINE_FAILURE, 600, null, h, null, true, false, new Alert(2, 45), null,
                EngineError.NONE, expired, h.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.CERTIFICATE_EXPIRED);
        assertThat(d.alertSender()).isEqualTo(AlertSender.CLIENT);
        assertThat(d.certificate().notAfter()).isBefore(NOW);
    }

    @Test
    void aSilentCloseAfterTheHandshakeCountsOnlyDefiniteProblems() {
        ClientHello h = hello("curl_sni");
        ChainAnalysis wrongName = ANALYZER.analyze(List.of(TestPki.leaf("other", INTER, "other.example").cert(), INTER.cert()));
        Diagnosis d = diagnose(new F(Ending.CLOSED_AFTER_HANDSHAKE, 900, null, h, null, true, true, null, null,
                EngineError.NONE, wrongName, h.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.CERTIFICATE_HOSTNAME_MISMATCH);

        ChainAnalysis privateRoot = new ChainAnalyzer(List.of()).analyze(List.of(TestPki.leaf(h.serverName(), INTER,
                h.serverName()).cert(), INTER.cert()));
        assertThat(diagnoser.diagnose(new F(Ending.CLOSED_AFTER_HANDSHAKE, 900, null, h, null, true, true, null, null,
                EngineError.NONE, privateRoot, h.serverName(), false).facts()))
                .as("a client that finished the handshake accepted the chain's trust").isEmpty();
    }

    @Test
    void aSilentCloseBlamesTheNameBeforeTrustTheClientAlreadyAccepted() {
        ClientHello h = hello("curl_sni");
        ChainAnalysis selfSignedOtherName = ANALYZER.analyze(List.of(TestPki.selfSigned(new TestPki.Spec("CN=other")
                .dns("other.example")).cert()));
        Diagnosis d = diagnose(new F(Ending.CLOSED_AFTER_HANDSHAKE, 900, null, h, null, true, true, null, null,
                EngineError.NONE, selfSignedOtherName, h.serverName(), false));
        assertThat(d.cause()).as("curl --cacert self.pem accepted the self-signed chain, then checked the name")
                .isEqualTo(Cause.CERTIFICATE_HOSTNAME_MISMATCH);
    }

    @Test
    void unknownCaWithAnUntrustedRootIsUntrustedAndWithASoundChainAPeerAlert() {
        ClientHello h = hello("curl_sni");
        ChainAnalysis privateRoot = new ChainAnalyzer(List.of()).analyze(List.of(TestPki.leaf(h.serverName(), INTER,
                h.serverName()).cert(), INTER.cert()));
        Diagnosis untrusted = diagnose(new F(Ending.ENGINE_FAILURE, 600, null, h, null, true, false, new Alert(2, 48), null,
                EngineError.NONE, privateRoot, h.serverName(), false));
        assertThat(untrusted.cause()).isEqualTo(Cause.CERTIFICATE_UNTRUSTED);

        ChainAnalysis sound = ANALYZER.analyze(List.of(TestPki.leaf(h.serverName(), INTER, h.serverName()).cert(), INTER.cert()));
        Diagnosis alert = diagnose(new F(Ending.ENGINE_FAILURE, 600, null, h, null, true, false, new Alert(2, 48), null,
                EngineError.NONE, sound, h.serverName(), false));
        assertThat(alert.cause()).isEqualTo(Cause.PEER_ALERT);
    }

    @Test
    void anExpiredAlertForAValidChainNamesTheClientsClockAndAFreshLeafMore() {
        ClientHello h = hello("curl_sni");
        ChainAnalysis old = ANALYZER.analyze(List.of(TestPki.leaf(h.serverName(), INTER, h.serverName()).cert(), INTER.cert()));
        Diagnosis d = diagnose(new F(Ending.ENGINE_FAILURE, 600, null, h, null, true, false, new Alert(2, 45), null,
                EngineError.NONE, old, h.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.PEER_ALERT);
        assertThat(d.hints().get(0)).contains("client's clock");

        TestPki.Issued fresh = TestPki.issue(new TestPki.Spec("CN=" + h.serverName()).dns(h.serverName())
                .validity(NOW.minus(Duration.ofMinutes(3)), NOW.plus(Duration.ofDays(90))), INTER);
        ChainAnalysis renewed = ANALYZER.analyze(List.of(fresh.cert(), INTER.cert()));
        Diagnosis justRenewed = diagnose(new F(Ending.ENGINE_FAILURE, 600, null, h, null, true, false, new Alert(2, 42), null,
                EngineError.NONE, renewed, h.serverName(), false));
        assertThat(justRenewed.cause()).isEqualTo(Cause.PEER_ALERT);
        assertThat(justRenewed.hints().get(0)).contains("only 3 minute(s) ago").contains("client's clock");
        assertThat(justRenewed.evidence()).containsEntry("leaf_valid_since_minutes", "3");

        Diagnosis unknownCa = diagnose(new F(Ending.ENGINE_FAILURE, 600, null, h, null, true, false, new Alert(2, 48), null,
                EngineError.NONE, renewed, h.serverName(), false));
        assertThat(unknownCa.hints()).noneMatch(x -> x.contains("clock")); // unknown_ca is not about time
    }

    @Test
    void leafAloneIsIncompleteForAGenericAlertToo() {
        ClientHello h = hello("jdk17");
        ChainAnalysis leafOnly = ANALYZER.analyze(List.of(TestPki.leaf("localhost", INTER, "localhost").cert()));
        Diagnosis d = diagnose(new F(Ending.ENGINE_FAILURE, 600, null, h, null, true, false, new Alert(2, 46), null,
                EngineError.NONE, leafOnly, "localhost", false));
        assertThat(d.cause()).isEqualTo(Cause.CERTIFICATE_CHAIN_INCOMPLETE);
    }

    @Test
    void closeNotifyBeforeCompletionIsAPeerAlertAndSilenceAfterOurFlightIsPeerClosed() {
        ClientHello h = hello("openssl_tls12");
        Diagnosis scanner = diagnose(new F(Ending.PEER_CLOSED, 300, null, h, null, true, false, new Alert(1, 0), null,
                EngineError.NONE, goodChain(), h.serverName(), false));
        assertThat(scanner.cause()).isEqualTo(Cause.PEER_ALERT);
        assertThat(scanner.alertLabel()).isEqualTo("close_notify");
        Diagnosis closed = diagnose(new F(Ending.PEER_CLOSED, 300, null, h, null, true, false, null, null,
                EngineError.NONE, goodChain(), h.serverName(), false));
        assertThat(closed.cause()).isEqualTo(Cause.PEER_CLOSED);
        assertThat(closed.evidence()).containsEntry("stage", "after server flight");
    }

    @Test
    void aStallAfterOurFlightNamesTheStage() {
        ClientHello h = hello("openssl_tls13");
        Diagnosis d = diagnose(new F(Ending.TIMEOUT, 300, null, h, null, true, false, null, null, EngineError.NONE,
                goodChain(), h.serverName(), false));
        assertThat(d.cause()).isEqualTo(Cause.HANDSHAKE_TIMEOUT);
        assertThat(d.evidence()).containsEntry("stage", "awaiting client Finished");
    }

    @Test
    void engineErrorsNameReceivedAlerts() {
        EngineError e = EngineError.parse("error:10000415:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED");
        assertThat(e.reason()).isEqualTo("SSLV3_ALERT_CERTIFICATE_EXPIRED");
        assertThat(e.receivedAlert()).map(Alert::descriptionName).contains("certificate_expired");
        assertThat(EngineError.parse("error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER").receivedAlert()).isEmpty();
        assertThat(EngineError.parse("error:1000046c:SSL routines:OPENSSL_internal:TLSV1_ALERT_USER_CANCELLED")
                .receivedAlert()).map(Alert::descriptionName).contains("user_canceled");
    }
}
