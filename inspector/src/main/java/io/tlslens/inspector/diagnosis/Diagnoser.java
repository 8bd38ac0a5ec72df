package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.policy.Judgement;
import io.tlslens.inspector.policy.KeyType;
import io.tlslens.inspector.policy.PolicyJudge;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the probable root cause of one failed handshake from what was observed: the pure
 * function of DIAGNOSIS.md. Checks run in the documented order; the first that applies wins.
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

    /** DIAGNOSIS.md step 4: the ClientHello against the policy, before any server flight. */
    private Optional<Diagnosis> negotiation(HandshakeFacts f) {
        if (f.serverFlightSent() || f.handshakeComplete() || f.policy() == null) {
            return Optional.empty();
        }
        ClientHello hello = f.clientHello();
        KeyType key = f.servedChain() == null ? KeyType.OTHER : f.servedChain().leafKeyType();
        TlsPolicy policy = f.policy();
        Judgement j = PolicyJudge.judge(hello.offeredVersions(), hello.cipherSuites(), hello.supportedGroups(), policy, key);
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("stage", "client_hello");
        ev.put("client_versions", Versions.offered(hello));
        ev.put("listener_versions", Versions.describe(policy.versions()));
        ev.put("policy", policy.name());
        ev.put("certificate_key", key.name());
        if (!j.ok()) {
            Cause cause = switch (j.verdict()) {
                case PROTOCOL_VERSION_MISMATCH -> Cause.PROTOCOL_VERSION_MISMATCH;
                case NO_SHARED_CIPHER -> Cause.NO_SHARED_CIPHER;
                default -> Cause.NO_SHARED_GROUP;
            };
            String summary = cause == Cause.PROTOCOL_VERSION_MISMATCH
                    ? "client offered " + Versions.offered(hello) + "; listener '" + f.listener()
                    + "' accepts " + Versions.describe(policy.versions())
                    : j.summary() + " (listener '" + f.listener() + "')";
            return Optional.of(build(f, cause, summary, ev));
        }
        EngineError e = f.engineError();
        Cause engineCause = null;
        if (e.is("UNSUPPORTED_PROTOCOL", "WRONG_VERSION_NUMBER", "TLSV1_ALERT_PROTOCOL_VERSION")) {
            engineCause = Cause.PROTOCOL_VERSION_MISMATCH;
        } else if (e.is("NO_SHARED_CIPHER", "NO_CIPHER_MATCH")) {
            engineCause = Cause.NO_SHARED_CIPHER;
        } else if (e.is("NO_SHARED_GROUP", "NO_COMMON_SIGNATURE_ALGORITHMS")) {
            engineCause = Cause.NO_SHARED_GROUP;
        }
        if (engineCause == null) {
            return Optional.empty();
        }
        ev.put("judgement_disagreement", "policy judgement found overlap (" + j.summary() + ") but the engine refused with "
                + e.reason());
        return Optional.of(build(f, engineCause, "the TLS engine refused the client's ClientHello with " + e.reason()
                + " although the policy judgement found overlap; client offered " + Versions.offered(hello)
                + ", listener '" + f.listener() + "' accepts " + Versions.describe(policy.versions()), ev));
    }

    /** DIAGNOSIS.md step 6. */
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

    /** DIAGNOSIS.md step 5. */
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
            return Optional.of(build(f, Cause.PEER_ALERT, "client sent alert " + alert.descriptionName()
                    + " after receiving the certificate of listener '" + f.listener()
                    + "', but the chain analysis found no problem with it", ev));
        }
        CertificateVerdict.Choice c = choice.get();
        String how = alert == null ? "closed without application data after the handshake"
                : "sent alert " + alert.descriptionName();
        Diagnosis d = build(f, c.cause(), "client " + how + ": " + c.sentence(), ev);
        return Optional.of(new Diagnosis(d.cause(), d.summary(), d.hints(), d.alert(), d.alertSender(), c.certificate(),
                c.sentence(), d.evidence()));
    }

    /** DIAGNOSIS.md steps 7 and 8. */
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
