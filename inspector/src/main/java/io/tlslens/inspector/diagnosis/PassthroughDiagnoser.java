package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the cause of one failed passthrough handshake (docs/diagnosis.md "Passthrough") from what
 * crossed the wire, with tlslens' own probe of the backend where TLS 1.3 hides the certificate or
 * where the backend refused the ClientHello. Stateless and thread-safe.
 */
public final class PassthroughDiagnoser {
    private static final int CLOSE_NOTIFY = 0;
    private static final int HANDSHAKE_FAILURE = 40;
    private static final int PROTOCOL_VERSION = 70;
    private static final int INSUFFICIENT_SECURITY = 71;
    private static final int INTERNAL_ERROR = 80;
    private static final int USER_CANCELED = 90;
    private static final int UNRECOGNIZED_NAME = 112;
    /** The alert the proxy sends when no route and no default backend apply. */
    public static final Alert SNI_REFUSAL = new Alert(2, UNRECOGNIZED_NAME);

    /**
     * @param f what crossed the wire
     * @return the diagnosis, or empty when this is not a failed handshake (an empty connection, or a
     * client that finished the handshake and closed while the chain has no definite problem)
     */
    public Optional<Diagnosis> diagnose(PassthroughFacts f) {
        Map<String, String> ev = new LinkedHashMap<>();
        if (f.backend() != null) {
            ev.put("backend", f.backend());
        }
        if (f.bytesFromClient() == 0 && f.end() != PassthroughFacts.End.TIMEOUT && f.end() != PassthroughFacts.End.INTERNAL_FAILURE) {
            return Optional.empty();
        }
        if (f.end() == PassthroughFacts.End.INTERNAL_FAILURE) {
            return Optional.of(d(Cause.INTERNAL_ERROR, "tlslens failed while relaying the handshake on listener '"
                    + f.listener() + "'", null, AlertSender.NONE, ev));
        }
        if (f.clientFirstBytes() != null) {
            return Optional.of(clientNotTls(f, ev));
        }
        if (f.clientHello() == null) {
            return Optional.of(beforeClientHello(f, ev));
        }
        ClientHello hello = f.clientHello();
        ev.put("client_versions", Versions.offered(hello));
        if (f.sniUnknown()) {
            ev.put("stage", "client_hello");
            ev.put("server_name", hello.serverName() == null ? "(none)" : hello.serverName());
            String name = hello.serverName() == null ? "client sent no server_name" : "server_name '" + hello.serverName() + "'";
            return Optional.of(d(Cause.SNI_UNKNOWN, name + " matches no route of passthrough listener '" + f.listener()
                    + "' and it has no default backend (backend.address = none)", SNI_REFUSAL, AlertSender.PROXY, ev));
        }
        if (f.malformed() != null && "backend".equals(f.malformedFrom()) && f.serverHello() == null) {
            ev.put("offset", Long.toString(f.malformed().offset()));
            ev.put("reason", f.malformed().reason());
            return Optional.of(d(Cause.MALFORMED_HANDSHAKE, "backend " + f.backend() + " answered with an undecodable "
                    + "handshake at byte " + f.malformed().offset() + ": " + f.malformed().reason(), null, AlertSender.NONE, ev));
        }
        if (f.backendFirstBytes() != null) {
            byte[] first = f.backendFirstBytes();
            ev.put("stage", "awaiting ServerHello");
            ev.put("first_bytes_from", "backend");
            ev.put("first_bytes_hex", FirstBytes.hex(first));
            ev.put("first_bytes_text", FirstBytes.printable(first));
            return Optional.of(d(Cause.NOT_TLS, "backend " + f.backend() + " answered the ClientHello with non-TLS bytes ('"
                    + FirstBytes.printable(first).trim() + "'): it does not speak TLS on that port (a plain HTTP port?)",
                    null, AlertSender.NONE, ev));
        }
        if (f.serverHello() == null) {
            return Optional.of(beforeServerHello(f, ev));
        }
        return afterServerHello(f, ev);
    }

    private static Diagnosis clientNotTls(PassthroughFacts f, Map<String, String> ev) {
        byte[] first = f.clientFirstBytes();
        ev.put("first_bytes_from", "client");
        ev.put("first_bytes_hex", FirstBytes.hex(first));
        ev.put("first_bytes_text", FirstBytes.printable(first));
        if (FirstBytes.isHttp(first)) {
            return d(Cause.PLAINTEXT_HTTP_TO_TLS_PORT, "client sent plain HTTP ('" + FirstBytes.printable(first).trim()
                    + "') to passthrough listener '" + f.listener() + "'; it must use https://", null, AlertSender.NONE, ev);
        }
        return d(Cause.NOT_TLS, "client's first bytes are not a TLS record (" + FirstBytes.hex(first)
                + "); passthrough listener '" + f.listener() + "' expects a TLS ClientHello", null, AlertSender.NONE, ev);
    }

    private static Diagnosis beforeClientHello(PassthroughFacts f, Map<String, String> ev) {
        ev.put("stage", "client_hello");
        ev.put("bytes_received", Long.toString(f.bytesFromClient()));
        if (f.malformed() != null) {
            ev.put("offset", Long.toString(f.malformed().offset()));
            ev.put("reason", f.malformed().reason());
            return d(Cause.MALFORMED_HANDSHAKE, "client's ClientHello could not be decoded at byte "
                    + f.malformed().offset() + ": " + f.malformed().reason(), null, AlertSender.NONE, ev);
        }
        String partial = partial(f, ev);
        if (f.end() == PassthroughFacts.End.TIMEOUT) {
            return d(Cause.HANDSHAKE_TIMEOUT, "no complete ClientHello within the handshake timeout of listener '"
                    + f.listener() + "' (" + f.bytesFromClient() + " bytes received)" + partial, null, AlertSender.NONE, ev);
        }
        if (f.clientAlert() != null) {
            return d(Cause.PEER_ALERT, "client sent alert " + f.clientAlert().descriptionName()
                    + " before completing its ClientHello", f.clientAlert(), AlertSender.CLIENT, ev);
        }
        return d(Cause.PEER_CLOSED, "client closed the connection before completing its ClientHello ("
                + f.bytesFromClient() + " bytes received)" + partial, null, AlertSender.NONE, ev);
    }

    private static String partial(PassthroughFacts f, Map<String, String> ev) {
        HandshakeFacts.PartialRecord p = f.partialRecord();
        if (p == null) {
            return "";
        }
        return p.note(ev);
    }

    private static Diagnosis beforeServerHello(PassthroughFacts f, Map<String, String> ev) {
        ev.put("stage", "awaiting ServerHello");
        Alert backend = f.backendAlert();
        if (backend != null && backend.fatal()) {
            return negotiationRefused(f, backend, ev);
        }
        if (f.clientAlert() != null) {
            return d(Cause.PEER_ALERT, "client sent alert " + f.clientAlert().descriptionName()
                    + " before the backend answered its ClientHello", f.clientAlert(), AlertSender.CLIENT, ev);
        }
        if (f.end() == PassthroughFacts.End.TIMEOUT) {
            return d(Cause.HANDSHAKE_TIMEOUT, "backend " + f.backend() + " did not answer the ClientHello within the "
                    + "handshake timeout of listener '" + f.listener() + "' (stage 'awaiting ServerHello')"
                    + partial(f, ev), null, AlertSender.NONE, ev);
        }
        if (f.end() == PassthroughFacts.End.BACKEND_CLOSED) {
            ev.put("closed_by", "backend");
            return d(Cause.PEER_CLOSED, "backend " + f.backend() + " closed the connection after the ClientHello "
                    + "without an answer or an alert", null, AlertSender.NONE, ev);
        }
        ev.put("closed_by", "client");
        return d(Cause.PEER_CLOSED, "client closed the connection without an alert before the backend answered its "
                + "ClientHello, on listener '" + f.listener() + "'", null, AlertSender.NONE, ev);
    }

    /** The backend refused the ClientHello with an alert: version, cipher or ALPN mismatch, decided with the probe. */
    private static Diagnosis negotiationRefused(PassthroughFacts f, Alert alert, Map<String, String> ev) {
        ClientHello hello = f.clientHello();
        if (alert.description() == Alert.NO_APPLICATION_PROTOCOL) {
            String offered = hello.alpn().isEmpty() ? "no protocol" : String.join(", ", hello.alpn());
            ev.put("client_alpn", offered);
            return d(Cause.ALPN_MISMATCH, "backend " + f.backend() + " refused the ClientHello with alert "
                    + alert.descriptionName() + ": it accepts none of the client's ALPN protocols (" + offered + ")",
                    alert, AlertSender.BACKEND, ev);
        }
        ProbedBackend probe = f.probe();
        ev.put("client_cipher_suites", Integer.toString(hello.cipherSuites().size()));
        Cause cause = null;
        List<Integer> overlap = new ArrayList<>();
        if (probe != null && !probe.probed().isEmpty() && probe.error() == null) {
            ev.put("backend_versions", Versions.describe(probe.acceptedVersions()));
            ev.put("backend_cipher_choice", probe.describeChoices());
            for (int v : hello.offeredVersions()) {
                if (probe.accepted().containsKey(v)) {
                    overlap.add(v);
                }
            }
            if (overlap.isEmpty()) {
                cause = Cause.PROTOCOL_VERSION_MISMATCH;
            } else if (alert.description() != PROTOCOL_VERSION) {
                boolean anyOffered = overlap.stream().anyMatch(v -> hello.offersCipherSuite(probe.accepted().get(v)));
                if (!anyOffered) {
                    cause = Cause.NO_SHARED_CIPHER;
                }
            }
        } else if (probe != null && probe.error() != null) {
            ev.put("probe_error", probe.error());
        }
        if (cause == null) {
            if (alert.description() == PROTOCOL_VERSION
                    || (alert.description() == INTERNAL_ERROR && hello.maxVersion() <= 0x0302)) {
                cause = Cause.PROTOCOL_VERSION_MISMATCH;
            } else if (overlap.isEmpty() && (alert.description() == HANDSHAKE_FAILURE
                    || alert.description() == INSUFFICIENT_SECURITY) && probe == null) {
                cause = Cause.NO_SHARED_CIPHER;
            }
        }
        String accepts = probe == null || probe.error() != null ? "" : "; backend " + f.backend() + " accepts "
                + Versions.describe(probe.acceptedVersions());
        if (cause == Cause.PROTOCOL_VERSION_MISMATCH) {
            return d(cause, "client offered " + Versions.offered(hello) + accepts + "; the backend refused with alert "
                    + alert.descriptionName(), alert, AlertSender.BACKEND, ev);
        }
        if (cause == Cause.NO_SHARED_CIPHER) {
            String choice = probe == null ? "" : " (from a broad offer it chose " + probe.describeChoices() + ")";
            return d(cause, "client's " + hello.cipherSuites().size() + " cipher suites share none with what backend "
                    + f.backend() + " accepts" + choice + "; the backend refused with alert " + alert.descriptionName(),
                    alert, AlertSender.BACKEND, ev);
        }
        return d(Cause.PEER_ALERT, "backend " + f.backend() + " refused the ClientHello with alert "
                + alert.descriptionName() + accepts + " (versions and cipher suites overlap)", alert, AlertSender.BACKEND, ev);
    }

    private Optional<Diagnosis> afterServerHello(PassthroughFacts f, Map<String, String> ev) {
        var sh = f.serverHello();
        ev.put("negotiated_version", TlsRegistry.versionName(sh.selectedVersion()));
        ev.put("negotiated_cipher", TlsRegistry.cipherSuiteName(sh.cipherSuite()));
        String stage = !f.handshakeComplete() ? "awaiting client Finished" : "after handshake, before application data";
        ev.put("stage", stage);
        if (f.clientRecords() != null && !f.clientRecords().isEmpty()) {
            ev.put("client_records_after_server_flight", f.clientRecords());
        }
        ChainAnalysis chain = f.chainSeen();
        if (chain != null) {
            ev.put("chain_source", "Certificate message on the wire");
        } else if (f.probe() != null && f.probe().chain() != null) {
            chain = f.probe().chain();
            ev.put("chain_source", "tlslens probe of backend " + f.backend() + " for the same SNI"
                    + (sh.tls13() ? " (TLS 1.3 encrypts the Certificate message)" : ""));
        } else if (f.probe() != null && f.probe().error() != null) {
            ev.put("probe_error", f.probe().error());
        }
        if (f.requestedName() != null) {
            ev.put("requested_name", f.requestedName());
        }
        Alert client = f.clientAlert();
        if (client != null && client.fatal() && CertificateVerdict.CERTIFICATE_ALERTS.contains(client.description())) {
            return Optional.of(rejection(f, chain, client, client, "client sent alert " + client.descriptionName(), ev));
        }
        if (f.clientShape() == PassthroughFacts.ClientShape.SEALED_ALERT) {
            ev.put("shape", "client answered the backend's flight with one short encrypted record (a sealed alert) "
                    + "and closed without application data");
            // an encrypted alert of unknown description: judged like a generic certificate alert
            return Optional.of(rejection(f, chain, new Alert(2, INTERNAL_ERROR), null,
                    "client answered with an encrypted alert (one short record) and closed", ev));
        }
        Alert backend = f.backendAlert();
        if (backend != null && backend.fatal()) {
            return Optional.of(d(Cause.PEER_ALERT, "backend " + f.backend() + " sent alert " + backend.descriptionName()
                    + " at stage '" + stage + "'", backend, AlertSender.BACKEND, ev));
        }
        if (f.clientShape() == PassthroughFacts.ClientShape.APPLICATION_DATA && f.end() != PassthroughFacts.End.TIMEOUT) {
            // the client finished the handshake and sent data, and no fatal alert came back: the handshake succeeded,
            // whoever closed (or reset) the connection afterwards
            return Optional.empty();
        }
        boolean closed = f.end() == PassthroughFacts.End.CLIENT_CLOSED || f.end() == PassthroughFacts.End.BACKEND_CLOSED;
        if (f.clientShape() == PassthroughFacts.ClientShape.COMPLETED_NO_DATA && f.end() == PassthroughFacts.End.CLIENT_CLOSED) {
            ev.put("shape", "client finished the handshake, then closed without application data");
            if (chain == null) {
                return Optional.empty();
            }
            Optional<CertificateVerdict.Choice> c = afterCompletedHandshake(chain, f.requestedName(), f);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(withCertificate(d(c.get().cause(), "client closed without application data after the "
                    + "handshake: " + c.get().sentence(), client, AlertSender.CLIENT, ev), c.get()));
        }
        if (f.end() == PassthroughFacts.End.TIMEOUT) {
            return Optional.of(d(Cause.HANDSHAKE_TIMEOUT, "handshake between client and backend " + f.backend()
                    + " stalled at stage '" + stage + "' past the handshake timeout of listener '" + f.listener() + "'"
                    + partial(f, ev), null, AlertSender.NONE, ev));
        }
        if (client != null) {
            boolean closing = client.description() == CLOSE_NOTIFY || client.description() == USER_CANCELED;
            return Optional.of(d(Cause.PEER_ALERT, "client sent alert " + client.descriptionName() + " at stage '" + stage
                    + "'" + (closing ? " before the handshake completed (scanners and health checks do this)" : ""),
                    client, AlertSender.CLIENT, ev));
        }
        if (closed) {
            String who = f.end() == PassthroughFacts.End.BACKEND_CLOSED ? "backend " + f.backend() : "client";
            ev.put("closed_by", f.end() == PassthroughFacts.End.BACKEND_CLOSED ? "backend" : "client");
            return Optional.of(d(Cause.PEER_CLOSED, who + " closed the connection without an alert at stage '" + stage
                    + "' on listener '" + f.listener() + "'", null, AlertSender.NONE, ev));
        }
        return Optional.of(d(Cause.INTERNAL_ERROR, "passthrough handshake ended in a way no rule explains ("
                + f.end() + ")", null, AlertSender.NONE, ev));
    }

    /** A silent close after a completed handshake: {@link CertificateVerdict} puts name and revocation first. */
    private static Optional<CertificateVerdict.Choice> afterCompletedHandshake(ChainAnalysis chain, String name,
                                                                                PassthroughFacts f) {
        return CertificateVerdict.choose(chain, name, null, f.now());
    }

    /** docs/diagnosis.md step 5 with the chain seen on the wire or probed. */
    private static Diagnosis rejection(PassthroughFacts f, ChainAnalysis chain, Alert selector, Alert reported,
                                       String how, Map<String, String> ev) {
        Optional<CertificateVerdict.Choice> c = chain == null ? Optional.empty()
                : CertificateVerdict.choose(chain, f.requestedName(), selector, f.now());
        if (c.isEmpty()) {
            String why = chain == null ? "the backend's chain is unknown (no Certificate message seen, no probe result)"
                    : "the chain analysis of backend " + f.backend() + "'s certificate found no problem";
            return d(Cause.PEER_ALERT, how + " after the backend's flight, but " + why, reported,
                    reported == null ? AlertSender.NONE : AlertSender.CLIENT, ev);
        }
        return withCertificate(d(c.get().cause(), how + ": " + c.get().sentence(), reported,
                reported == null ? AlertSender.NONE : AlertSender.CLIENT, ev), c.get());
    }

    private static Diagnosis withCertificate(Diagnosis d, CertificateVerdict.Choice c) {
        return new Diagnosis(d.cause(), d.summary(), d.hints(), d.alert(), d.alertSender(), c.certificate(), c.sentence(),
                d.evidence());
    }

    private static Diagnosis d(Cause cause, String summary, Alert alert, AlertSender sender, Map<String, String> ev) {
        return new Diagnosis(cause, summary, FixHints.forCause(cause), alert, sender, null, null, ev);
    }
}
