package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.CertificateProblem;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The backend leg of docs/diagnosis.md: tlslens is the TLS client and the backend's answer is the
 * evidence. A plaintext answer is {@code not_tls}; an alert right after our ClientHello is a version,
 * cipher or group mismatch, decided by what we offered against what the backend accepts (a probe with a
 * wider offer: when it agreed on a version and a suite we offered too, the groups are what differ); certificate
 * causes come from our verifier's result plus the analysis of the chain as received (a leaf sent
 * without its intermediate is {@code certificate_chain_incomplete} even when the verifier only says
 * it found no trust anchor); mTLS from the CertificateRequest and the backend's alert. Stateless.
 */
public final class BackendDiagnoser {
    private static final int HANDSHAKE_FAILURE = 40;
    private static final int PROTOCOL_VERSION = 70;
    private static final int INTERNAL_ERROR = 80;
    private static final int CERTIFICATE_REQUIRED = 116;
    /** Alerts a server sends about the client certificate it received (RFC 8446 §6.2). */
    private static final Set<Integer> CLIENT_CERTIFICATE_ALERTS = Set.of(42, 43, 44, 45, 46, 48, 49, 51);

    /**
     * @param f what was observed on one backend handshake
     * @return the diagnosis, or empty when it was not a failure (a completed handshake closed cleanly)
     */
    public Optional<Diagnosis> diagnose(BackendFacts f) {
        if (f.ending() == Ending.INTERNAL_FAILURE) {
            return Optional.of(build(f, Cause.INTERNAL_ERROR, "tlslens failed during the backend handshake: "
                    + f.engineError().verbatim(), new LinkedHashMap<>()));
        }
        if (f.firstBytes() != null) {
            return Optional.of(notTls(f));
        }
        Optional<Diagnosis> d = negotiation(f);
        if (d.isEmpty()) {
            d = certificate(f);
        }
        if (d.isEmpty()) {
            d = clientCertificate(f);
        }
        if (d.isPresent()) {
            return d;
        }
        if (f.ending() == Ending.CLOSED_AFTER_HANDSHAKE && f.alertReceived() == null) {
            return Optional.empty();
        }
        return Optional.of(fallback(f));
    }

    private Diagnosis notTls(BackendFacts f) {
        byte[] first = f.firstBytes();
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("first_bytes_hex", FirstBytes.hex(first));
        ev.put("first_bytes_text", FirstBytes.printable(first));
        ev.put("stage", "server_hello");
        return build(f, Cause.NOT_TLS, "backend answered our ClientHello in plaintext ('" + FirstBytes.printable(first).trim()
                + "'): it does not speak TLS on that port (the cause of SSL_ERROR_RX_RECORD_TOO_LONG / 'wrong version number');"
                + " set backend.tls.enabled = false or point the backend at its TLS port", ev);
    }

    /** An alert (or our engine's refusal) right after our ClientHello: versions, cipher suites or ALPN. */
    private Optional<Diagnosis> negotiation(BackendFacts f) {
        if (f.handshakeComplete()) {
            return Optional.empty();
        }
        Alert a = f.alertReceived();
        EngineError e = f.engineError();
        if ((a != null && a.description() == Alert.NO_APPLICATION_PROTOCOL)
                || e.is("NO_APPLICATION_PROTOCOL", "TLSV1_ALERT_NO_APPLICATION_PROTOCOL")) {
            Map<String, String> ev = new LinkedHashMap<>();
            ev.put("stage", "server_hello");
            String offered = f.offered() == null || f.offered().alpn().isEmpty() ? "no protocol"
                    : String.join(", ", f.offered().alpn());
            ev.put("offered_alpn", offered);
            return Optional.of(build(f, Cause.ALPN_MISMATCH, "backend refused our ClientHello with "
                    + (a != null ? "alert " + a.descriptionName() : e.reason()) + ": it accepts none of the ALPN protocols"
                    + " tlslens offered (" + offered + ", backend.tls.alpn)", ev));
        }
        if (f.serverHelloSeen() || f.offered() == null) {
            return Optional.empty();
        }
        int ourMax = f.offered().maxVersion();
        boolean versionAlert = a != null && (a.description() == PROTOCOL_VERSION
                || (a.description() == INTERNAL_ERROR && ourMax <= 0x0302));
        boolean cipherAlert = a != null && a.description() == HANDSHAKE_FAILURE;
        boolean localVersion = e.is("UNSUPPORTED_PROTOCOL", "WRONG_VERSION_NUMBER");
        boolean localCipher = e.is("NO_SHARED_CIPHER", "NO_CIPHERS_AVAILABLE");
        if (!versionAlert && !cipherAlert && !localVersion && !localCipher) {
            return Optional.empty();
        }
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("stage", "server_hello");
        String offeredVersions = Versions.offered(f.offered());
        ev.put("offered_versions", offeredVersions);
        ev.put("offered_cipher_suites", Integer.toString(f.offered().cipherSuites().size()));
        ProbedBackend probed = f.probed();
        String accepts = "";
        Cause cause = versionAlert || localVersion ? Cause.PROTOCOL_VERSION_MISMATCH : Cause.NO_SHARED_CIPHER;
        if (probed != null && !probed.acceptedVersions().isEmpty()) {
            List<Integer> backendVersions = probed.acceptedVersions();
            ev.put("backend_versions", Versions.describe(backendVersions));
            ev.put("backend_choices", probed.describeChoices());
            List<Integer> shared = new ArrayList<>(f.offered().offeredVersions());
            shared.retainAll(backendVersions);
            cause = shared.isEmpty() ? Cause.PROTOCOL_VERSION_MISMATCH : Cause.NO_SHARED_CIPHER;
            accepts = "; backend accepts " + Versions.describe(backendVersions) + " (probe"
                    + (cause == Cause.NO_SHARED_CIPHER ? ": it chose " + probed.describeChoices() : "") + ")";
            if (!shared.isEmpty() && choseOneWeOffered(probed, shared, f.offered().cipherSuites())) {
                // a version and a suite both accept: what the probe's wider offer had and ours lacked is a group
                cause = Cause.NO_SHARED_GROUP;
                ev.put("offered_groups", groupNames(f.offered().supportedGroups()));
                accepts = "; backend accepts " + Versions.describe(backendVersions) + " with a cipher suite we offer"
                        + " (probe: it chose " + probed.describeChoices() + ") when offered more named groups than"
                        + " ours (" + groupNames(f.offered().supportedGroups()) + "): no key-exchange group"
                        + " (or signature scheme) in common";
            }
        }
        String alertWords = a != null ? "backend sent " + a.descriptionName() : "our engine refused (" + e.reason() + ")";
        String summary = alertWords + " right after our ClientHello: we offered " + offeredVersions + " with "
                + f.offered().cipherSuites().size() + " cipher suites (backend policy '" + f.policy().name() + "')" + accepts;
        return Optional.of(build(f, cause, summary, ev));
    }

    /**
     * @return whether, for one of the {@code shared} versions, the suite the probe's handshake chose is one of
     *         {@code offered}: then neither version nor cipher suite explains a refusal of our ClientHello
     */
    private static boolean choseOneWeOffered(ProbedBackend probed, List<Integer> shared, List<Integer> offered) {
        for (int v : shared) {
            Integer chosen = probed.accepted().get(v);
            if (chosen != null && offered.contains(chosen)) {
                return true;
            }
        }
        return false;
    }

    private static String groupNames(List<Integer> groups) {
        return groups.isEmpty() ? "none" : String.join(", ",
                groups.stream().map(TlsRegistry::namedGroupName).toList());
    }

    /** Our verifier refused the backend's chain: the analysis of the chain as received says why. */
    private Optional<Diagnosis> certificate(BackendFacts f) {
        VerifierResult v = f.verifier();
        if (v == null || v.ok()) {
            return Optional.empty();
        }
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("stage", "server certificate");
        ev.put("verifier", v.problem().name().toLowerCase(Locale.ROOT) + ": " + v.detail());
        if (f.serverName() != null) {
            ev.put("server_name", f.serverName());
        }
        ChainAnalysis chain = f.receivedChain();
        CertificateProblem problem = null;
        if (chain != null) {
            ev.put("chain_received", Integer.toString(chain.chain().size()));
            List<CertificateProblem> definite = chain.definiteProblems(null, f.now());
            problem = switch (v.problem()) {
                case EXPIRED -> CertificateProblem.EXPIRED;
                case NOT_YET_VALID -> CertificateProblem.NOT_YET_VALID;
                case REVOKED -> CertificateProblem.REVOKED;
                case HOSTNAME_MISMATCH -> CertificateProblem.HOSTNAME_MISMATCH;
                case NO_TRUST_ANCHOR -> definite.contains(CertificateProblem.CHAIN_INCOMPLETE) ? CertificateProblem.CHAIN_INCOMPLETE
                        : definite.contains(CertificateProblem.SELF_SIGNED) ? CertificateProblem.SELF_SIGNED
                        : CertificateProblem.UNTRUSTED_ROOT;
                default -> definite.isEmpty() ? null : definite.get(0);
            };
            if (v.problem() == VerifierResult.Problem.NO_TRUST_ANCHOR && definite.contains(CertificateProblem.EXPIRED)) {
                ev.put("also", "a certificate in the chain is expired");
            }
        }
        Cause cause = problem == null ? Cause.CERTIFICATE_UNTRUSTED : switch (problem) {
            case CHAIN_INCOMPLETE -> Cause.CERTIFICATE_CHAIN_INCOMPLETE;
            case SELF_SIGNED, UNTRUSTED_ROOT -> Cause.CERTIFICATE_UNTRUSTED;
            case EXPIRED -> Cause.CERTIFICATE_EXPIRED;
            case NOT_YET_VALID -> Cause.CERTIFICATE_NOT_YET_VALID;
            case HOSTNAME_MISMATCH -> Cause.CERTIFICATE_HOSTNAME_MISMATCH;
            case REVOKED -> Cause.CERTIFICATE_REVOKED;
        };
        String sentence = chain != null && problem != null && problem != CertificateProblem.REVOKED
                ? chain.describe(problem, f.serverName(), f.now()) : v.detail();
        Diagnosis d = build(f, cause, "tlslens rejected the backend's certificate: " + sentence, ev);
        CertificateSummary cert = chain == null ? null : certificateFor(problem, chain, f);
        return Optional.of(new Diagnosis(d.cause(), d.summary(), d.hints(), d.alert(), d.alertSender(), cert, sentence,
                d.evidence()));
    }

    private static CertificateSummary certificateFor(CertificateProblem p, ChainAnalysis chain, BackendFacts f) {
        List<CertificateSummary> certs = chain.chain();
        if (p == CertificateProblem.EXPIRED) {
            return certs.stream().filter(c -> f.now().isAfter(c.notAfter())).findFirst().orElse(certs.get(0));
        }
        if (p == CertificateProblem.NOT_YET_VALID) {
            return certs.stream().filter(c -> f.now().isBefore(c.notBefore())).findFirst().orElse(certs.get(0));
        }
        return certs.get(0);
    }

    /** The backend asked for a client certificate and we had none, or it refused ours. */
    private Optional<Diagnosis> clientCertificate(BackendFacts f) {
        Alert a = f.alertReceived();
        boolean required = a != null && a.description() == CERTIFICATE_REQUIRED;
        boolean refusedAfterRequest = a != null && f.certificateRequestSeen() && a.description() == HANDSHAKE_FAILURE;
        Map<String, String> ev = new LinkedHashMap<>();
        ev.put("stage", "client certificate");
        if ((required || refusedAfterRequest || f.engineError().is("PEER_DID_NOT_RETURN_A_CERTIFICATE"))
                && !f.clientCertificateConfigured()) {
            return Optional.of(build(f, Cause.CLIENT_CERTIFICATE_MISSING, "backend requires a client certificate (mTLS) and"
                    + " tlslens has none to send: backend sent " + (a == null ? "no alert" : a.descriptionName())
                    + "; configure backend.tls.certificate { cert, key }", ev));
        }
        if (a != null && f.clientCertificateConfigured() && (CLIENT_CERTIFICATE_ALERTS.contains(a.description())
                || required || refusedAfterRequest) && (f.certificateRequestSeen() || f.handshakeComplete()
                || f.serverHelloSeen())) {
            ev.put("reason", "backend alert " + a.descriptionName());
            return Optional.of(build(f, Cause.CLIENT_CERTIFICATE_REJECTED, "backend refused tlslens' client certificate"
                    + " (backend.tls.certificate) with alert " + a.descriptionName()
                    + ": it is not issued by a CA the backend trusts, expired, or lacks clientAuth usage", ev));
        }
        return Optional.empty();
    }

    private Diagnosis fallback(BackendFacts f) {
        Map<String, String> ev = new LinkedHashMap<>();
        String stage = !f.serverHelloSeen() ? "awaiting ServerHello" : f.handshakeComplete() ? "after handshake"
                : "awaiting server Finished";
        ev.put("stage", stage);
        if (f.ending() == Ending.TIMEOUT) {
            return build(f, Cause.HANDSHAKE_TIMEOUT, "backend handshake stalled at stage '" + stage
                    + "' past the handshake timeout of listener '" + f.listener() + "'", ev);
        }
        if (f.alertReceived() != null) {
            return build(f, Cause.PEER_ALERT, "backend sent alert " + f.alertReceived().descriptionName() + " at stage '"
                    + stage + "'", ev);
        }
        if (f.ending() == Ending.PEER_CLOSED || f.ending() == Ending.CLOSED_AFTER_HANDSHAKE
                || f.engineError().verbatim().toLowerCase(Locale.ROOT).contains("closed")) {
            return build(f, Cause.PEER_CLOSED, "backend closed the connection without an alert at stage '" + stage + "'", ev);
        }
        // an error the engine detected in the backend's answer that no rule above explains: the backend's
        // protocol error, never tlslens' own failure (Ending.INTERNAL_FAILURE is judged first)
        ev.put("reason", f.engineError().reason());
        return build(f, Cause.MALFORMED_HANDSHAKE, "the TLS engine refused the backend's handshake ("
                + f.engineError().reason() + ") at stage '" + stage + "'", ev);
    }

    private static Diagnosis build(BackendFacts f, Cause cause, String summary, Map<String, String> evidence) {
        Alert alert = f.alertReceived() != null ? f.alertReceived() : f.alertSent();
        AlertSender sender = f.alertReceived() != null ? AlertSender.BACKEND : AlertSender.PROXY;
        return new Diagnosis(cause, summary, FixHints.forCause(cause, Leg.BACKEND), alert, sender, null, null, evidence);
    }
}
