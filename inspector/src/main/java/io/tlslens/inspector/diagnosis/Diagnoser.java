package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.policy.CertificateKey;
import io.tlslens.inspector.policy.ClientOffer;
import io.tlslens.inspector.policy.Judgement;
import io.tlslens.inspector.policy.KeyType;
import io.tlslens.inspector.policy.PolicyJudge;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the probable root cause of one failed handshake from what was observed: the pure
 * function of docs/diagnosis.md. Checks run in the documented order; the first that applies wins.
 * Thread-safe and stateless.
 */
public final class Diagnoser {
    private static final int CLOSE_NOTIFY = 0;
    private static final int USER_CANCELED = 90;

    /**
     * @param f what was observed about one handshake on the frontend leg (terminate mode)
     * @return the diagnosis, or empty when the observation is not a failed handshake (an empty
     * connection, or a silent close after a completed handshake whose chain has no definite problem)
     */
    public Optional<Diagnosis> diagnose(HandshakeFacts f) {
        return inOrder(f).map(d -> withHelloRetry(d, f));
    }

    private Optional<Diagnosis> inOrder(HandshakeFacts f) {
        if (f.bytesFromPeer() == 0 && f.ending() == Ending.PEER_CLOSED) {
            return Optional.empty();
        }
        if (f.ending() == Ending.INTERNAL_FAILURE) {
            String detail = f.engineError().verbatim();
            return Optional.of(build(f, Cause.INTERNAL_ERROR, "tlslens failed while handling the handshake on listener '"
                    + f.listener() + "'" + (detail.isEmpty() ? " (its stack trace is in this log line)" : ": " + detail),
                    new LinkedHashMap<>()));
        }
        if (f.firstBytes() != null) {
            return Optional.of(notTls(f));
        }
        if (f.clientHello() == null) {
            return Optional.of(beforeClientHello(f));
        }
        Optional<Diagnosis> negotiation = negotiation(f);
        if (negotiation.isPresent()) {
            return negotiation;
        }
        if (f.requireSni() && f.clientHello().serverName() == null) {
            return Optional.of(build(f, Cause.SNI_MISSING, "client sent no server_name; listener '" + f.listener()
                    + "' requires SNI (require-sni = true)", new LinkedHashMap<>()));
        }
        Optional<Diagnosis> mtls = clientCertificate(f);
        if (mtls.isPresent()) {
            return mtls;
        }
        Alert received = f.alertReceived();
        boolean certificateAlert = received != null && received.fatal() && f.serverFlightSent()
                && CertificateVerdict.CERTIFICATE_ALERTS.contains(received.description());
        if (certificateAlert || f.ending() == Ending.CLOSED_AFTER_HANDSHAKE) {
            return certificateRejection(f, certificateAlert ? received : null);
        }
        return Optional.of(fallback(f));
    }

    private Diagnosis notTls(HandshakeFacts f) {
        byte[] first = f.firstBytes();
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("first_bytes_hex", FirstBytes.hex(first));
        ev.put("first_bytes_text", FirstBytes.printable(first));
        if (FirstBytes.isHttp(first)) {
            return build(f, Cause.PLAINTEXT_HTTP_TO_TLS_PORT, "client sent plain HTTP ('" + FirstBytes.printable(first).trim()
                    + "') to TLS listener '" + f.listener() + "'; it must use https://", ev);
        }
        return build(f, Cause.NOT_TLS, "client's first bytes are not a TLS record (" + FirstBytes.hex(first)
                + "); listener '" + f.listener() + "' expects a TLS ClientHello", ev);
    }

    private Diagnosis beforeClientHello(HandshakeFacts f) {
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("stage", "client_hello");
        ev.put("bytes_received", Long.toString(f.bytesFromPeer()));
        if (f.malformed() != null) {
            ev.put("offset", Long.toString(f.malformed().offset()));
            ev.put("reason", f.malformed().reason());
            return build(f, Cause.MALFORMED_HANDSHAKE, "client's ClientHello could not be decoded at byte "
                    + f.malformed().offset() + ": " + f.malformed().reason(), ev);
        }
        String partial = partialRecordNote(f, ev);
        if (f.ending() == Ending.TIMEOUT) {
            return build(f, Cause.HANDSHAKE_TIMEOUT, "no complete ClientHello within the handshake timeout of listener '"
                    + f.listener() + "' (" + f.bytesFromPeer() + " bytes received)" + partial, ev);
        }
        if (f.alertReceived() != null) {
            return build(f, Cause.PEER_ALERT, "client sent alert " + f.alertReceived().descriptionName()
                    + " before completing its ClientHello", ev);
        }
        if (f.ending() == Ending.ENGINE_FAILURE) {
            ev.put("reason", f.engineError().reason());
            return build(f, Cause.MALFORMED_HANDSHAKE, "the TLS engine rejected the client's first records ("
                    + f.engineError().reason() + ") before a ClientHello could be decoded", ev);
        }
        return build(f, Cause.PEER_CLOSED, "client closed the connection before completing its ClientHello ("
                + f.bytesFromPeer() + " bytes received)" + partial, ev);
    }

    private static String partialRecordNote(HandshakeFacts f, Map<String, String> ev) {
        if (f.partialRecord() == null) {
            return "";
        }
        return f.partialRecord().note(ev);
    }

    /** docs/diagnosis.md step 4: the ClientHello against the policy, before any server flight. */
    private Optional<Diagnosis> negotiation(HandshakeFacts f) {
        if (f.serverFlightSent() || f.handshakeComplete() || f.policy() == null) {
            return Optional.empty();
        }
        ClientHello hello = f.clientHello();
        CertificateKey key = f.servedChain() == null ? new CertificateKey(KeyType.OTHER, 0, 0) : f.servedChain().leafKey();
        TlsPolicy policy = f.policy();
        String server = "listener '" + f.listener() + "'";
        Judgement j = PolicyJudge.judge(ClientOffer.of(hello), policy, key, f.alpn(), server);
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("stage", "client_hello");
        ev.put("client_versions", Versions.offered(hello));
        ev.put("listener_versions", Versions.describe(policy.versions()));
        ev.put("policy", policy.name());
        ev.put("certificate_key", key.label());
        if (j.verdict() == Judgement.Verdict.NO_SHARED_GROUP) {
            ev.put("client_groups", names(hello.supportedGroups(), TlsRegistry::namedGroupName));
            ev.put("client_key_share_groups", names(hello.keyShareGroups(), TlsRegistry::namedGroupName));
            ev.put("listener_groups", names(policy.groups(), TlsRegistry::namedGroupName));
            ev.put("client_signature_schemes", names(hello.signatureSchemes(), TlsRegistry::signatureSchemeName));
            ev.put("certificate_signature_schemes", names(key.signatureSchemes(j.version()),
                    TlsRegistry::signatureSchemeName));
        }
        if (j.verdict() == Judgement.Verdict.ALPN_MISMATCH) {
            ev.put("client_alpn", String.join(", ", hello.alpn()));
            ev.put("listener_alpn", String.join(", ", f.alpn()));
        }
        String retry = j.helloRetryNote(hello.keyShareGroups(), server);
        if (retry != null) {
            ev.put("hello_retry_request", retry);
        }
        if (!j.ok()) {
            Cause cause = switch (j.verdict()) {
                case PROTOCOL_VERSION_MISMATCH -> Cause.PROTOCOL_VERSION_MISMATCH;
                case NO_SHARED_CIPHER -> Cause.NO_SHARED_CIPHER;
                case ALPN_MISMATCH -> Cause.ALPN_MISMATCH;
                default -> Cause.NO_SHARED_GROUP;
            };
            String summary = cause == Cause.PROTOCOL_VERSION_MISMATCH
                    ? "client offered " + Versions.offered(hello) + "; " + server + " accepts "
                    + Versions.describe(policy.versions())
                    : j.summary();
            return Optional.of(build(f, cause, summary, ev));
        }
        EngineError e = f.engineError();
        Cause engineCause = null;
        if (e.is("UNSUPPORTED_PROTOCOL", "WRONG_VERSION_NUMBER", "TLSV1_ALERT_PROTOCOL_VERSION")) {
            engineCause = Cause.PROTOCOL_VERSION_MISMATCH;
        } else if (e.is("NO_SHARED_CIPHER", "NO_CIPHER_MATCH")) {
            engineCause = Cause.NO_SHARED_CIPHER;
        } else if (e.is("NO_SHARED_GROUP", "NO_COMMON_SIGNATURE_ALGORITHMS", "WRONG_CURVE")) {
            engineCause = Cause.NO_SHARED_GROUP;
        } else if (e.is("NO_APPLICATION_PROTOCOL", "TLSV1_ALERT_NO_APPLICATION_PROTOCOL")) {
            engineCause = Cause.ALPN_MISMATCH;
        }
        if (engineCause == null) {
            return Optional.empty();
        }
        ev.put("judgement_disagreement", "policy judgement found overlap (" + j.summary() + ") but the engine refused with "
                + e.reason());
        return Optional.of(build(f, engineCause, "the TLS engine refused the client's ClientHello with " + e.reason()
                + " although the policy judgement found overlap; client offered " + Versions.offered(hello)
                + ", " + server + " accepts " + Versions.describe(policy.versions()), ev));
    }

    /**
     * Adds the HelloRetryRequest the ClientHello costs to the evidence of whatever was decided (a client that
     * gave up after it, a stall awaiting its second ClientHello): a group supported without a key share.
     */
    private static Diagnosis withHelloRetry(Diagnosis d, HandshakeFacts f) {
        if (f.clientHello() == null || f.policy() == null || d.evidence().containsKey("hello_retry_request")) {
            return d;
        }
        CertificateKey key = f.servedChain() == null ? new CertificateKey(KeyType.OTHER, 0, 0) : f.servedChain().leafKey();
        String server = "listener '" + f.listener() + "'";
        Judgement j = PolicyJudge.judge(ClientOffer.of(f.clientHello()), f.policy(), key, f.alpn(), server);
        String note = j.helloRetryNote(f.clientHello().keyShareGroups(), server);
        if (note == null) {
            return d;
        }
        Map<String, String> ev = new LinkedHashMap<>(d.evidence());
        ev.put("hello_retry_request", note);
        return new Diagnosis(d.cause(), d.summary(), d.hints(), d.alert(), d.alertSender(), d.certificate(),
                d.certificateProblem(), ev);
    }

    private static String names(java.util.List<Integer> codes, java.util.function.IntFunction<String> namer) {
        return codes.isEmpty() ? "none" : codes.stream().map(namer::apply).collect(java.util.stream.Collectors.joining(", "));
    }

    /** docs/diagnosis.md step 6. */
    private Optional<Diagnosis> clientCertificate(HandshakeFacts f) {
        EngineError e = f.engineError();
        Map<String, String> ev = new LinkedHashMap<>();
        if (e.is("PEER_DID_NOT_RETURN_A_CERTIFICATE", "TLSV1_ALERT_CERTIFICATE_REQUIRED")) {
            return Optional.of(build(f, Cause.CLIENT_CERTIFICATE_MISSING, "client sent no certificate; listener '"
                    + f.listener() + "' requires one (client-auth = require)", ev));
        }
        if (f.clientVerifier() != null && !f.clientVerifier().ok()) {
            String reason = switch (f.clientVerifier().problem()) {
                case NO_TRUST_ANCHOR -> "untrusted issuer";
                case EXPIRED -> "expired";
                case NOT_YET_VALID -> "not yet valid";
                case WRONG_KEY_USAGE -> "wrong key usage";
                case REVOKED -> "revoked";
                default -> "invalid";
            };
            ev.put("reason", reason);
            ev.put("verifier", f.clientVerifier().detail());
            return Optional.of(build(f, Cause.CLIENT_CERTIFICATE_REJECTED, "listener '" + f.listener()
                    + "' rejected the client certificate (" + reason + "): " + f.clientVerifier().detail(), ev));
        }
        return Optional.empty();
    }

    /** docs/diagnosis.md step 5. */
    private Optional<Diagnosis> certificateRejection(HandshakeFacts f, Alert alert) {
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("stage", alert == null ? "after handshake, before application data" : "after server flight");
        if (f.requestedName() != null) {
            ev.put("requested_name", f.requestedName());
        }
        Optional<CertificateVerdict.Choice> choice = f.servedChain() == null ? Optional.empty()
                : CertificateVerdict.choose(f.servedChain(), f.requestedName(), alert, f.now());
        if (choice.isEmpty()) {
            if (alert == null) {
                return Optional.empty();
            }
            Diagnosis d = build(f, Cause.PEER_ALERT, "client sent alert " + alert.descriptionName()
                    + " after receiving the certificate of listener '" + f.listener()
                    + "', but the chain analysis found no problem with it", ev);
            return Optional.of(clockHint(d, f, alert));
        }
        CertificateVerdict.Choice c = choice.get();
        String how = alert == null ? "closed without application data after the handshake"
                : "sent alert " + alert.descriptionName();
        Diagnosis d = build(f, c.cause(), "client " + how + ": " + c.sentence(), ev);
        return Optional.of(new Diagnosis(d.cause(), d.summary(), d.hints(), d.alert(), d.alertSender(), c.certificate(),
                c.sentence(), d.evidence()));
    }

    /** docs/diagnosis.md steps 7 and 8. */
    private Diagnosis fallback(HandshakeFacts f) {
        Map<String, String> ev = new LinkedHashMap<>();
        String stage = f.serverFlightSent() ? "awaiting client Finished" : "awaiting server flight";
        ev.put("stage", stage);
        Alert received = f.alertReceived();
        if (f.ending() == Ending.TIMEOUT) {
            String partial = partialRecordNote(f, ev);
            return build(f, Cause.HANDSHAKE_TIMEOUT, "handshake with the client stalled at stage '" + stage
                    + "' past the handshake timeout of listener '" + f.listener() + "'" + partial, ev);
        }
        if (received != null) {
            boolean closing = received.description() == CLOSE_NOTIFY || received.description() == USER_CANCELED;
            String what = closing ? " before the handshake completed (scanners and health checks do this)" : "";
            return build(f, Cause.PEER_ALERT, "client sent alert " + received.descriptionName() + " at stage '"
                    + stage + "'" + what, ev);
        }
        if (f.ending() == Ending.PEER_CLOSED) {
            String stageWords = f.serverFlightSent() ? "after server flight" : stage;
            ev.put("stage", stageWords);
            return build(f, Cause.PEER_CLOSED, "client closed the connection without an alert, " + stageWords
                    + ", on listener '" + f.listener() + "'", ev);
        }
        EngineError e = f.engineError();
        if (!e.present()) {
            return build(f, Cause.PEER_CLOSED, "the handshake with the client ended at stage '" + stage
                    + "' with no alert and no engine error on listener '" + f.listener() + "'", ev);
        }
        // Whatever the engine refused locally and no rule above explains came from the client's bytes
        // (a second ClientHello, junk after it, a record the state machine does not allow): a peer's
        // protocol error, never tlslens' own failure (that is Ending.INTERNAL_FAILURE, judged first).
        ev.put("reason", e.reason());
        return build(f, Cause.MALFORMED_HANDSHAKE, "the TLS engine refused the client's handshake (" + e.reason()
                + ") at stage '" + stage + "'", ev);
    }

    private static final int BAD_CERTIFICATE = 42;
    private static final int CERTIFICATE_EXPIRED = 45;

    /**
     * A client that calls a chain expired or bad while it is valid by this host's clock most often has a wrong
     * clock itself, all the more when the leaf became valid only recently (a certificate just renewed or reloaded
     * is "not yet valid" to a client whose clock is behind): the first hint names the client's clock.
     */
    private static Diagnosis clockHint(Diagnosis d, HandshakeFacts f, Alert alert) {
        if (alert.description() != CERTIFICATE_EXPIRED && alert.description() != BAD_CERTIFICATE
                || f.servedChain() == null || f.servedChain().chain().isEmpty()) {
            return d;
        }
        Instant notBefore = f.servedChain().chain().get(0).notBefore();
        Duration age = Duration.between(notBefore, f.now());
        String hint = "The chain is valid by this host's clock: check the client's clock (a client running behind sees a "
                + "fresh certificate as not yet valid, one running ahead sees it expired)";
        Map<String, String> ev = new LinkedHashMap<>(d.evidence());
        if (!age.isNegative() && age.compareTo(Duration.ofHours(24)) < 0) {
            hint = "The leaf became valid only " + age.toMinutes() + " minute(s) ago (notBefore " + notBefore
                    + "): a client whose clock is behind rejects it; check the client's clock, or issue certificates "
                    + "with notBefore a little in the past";
            ev.put("leaf_valid_since_minutes", Long.toString(age.toMinutes()));
        }
        List<String> hints = new ArrayList<>();
        hints.add(hint);
        hints.addAll(d.hints());
        return new Diagnosis(d.cause(), d.summary(), hints, d.alert(), d.alertSender(), d.certificate(),
                d.certificateProblem(), ev);
    }

    private static Diagnosis build(HandshakeFacts f, Cause cause, String summary, Map<String, String> evidence) {
        Alert alert = f.alertReceived() != null ? f.alertReceived() : f.alertSent();
        AlertSender sender;
        if (f.alertReceived() != null) {
            sender = f.leg() == Leg.FRONTEND ? AlertSender.CLIENT : AlertSender.BACKEND;
        } else {
            sender = AlertSender.PROXY;
        }
        return new Diagnosis(cause, summary, FixHints.forCause(cause), alert, sender, null, null, evidence);
    }
}
