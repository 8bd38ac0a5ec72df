package io.tlslens.proxy.telemetry;

import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.fingerprint.Ja3;
import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloArrival;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Builds the fields of one failure log line and debug entry in the order of the log contract (docs/log.md)
 * contract. Never holds key material or payload bytes.
 */
final class FailureEvent {
    private FailureEvent() {
    }

    /**
     * @param f the failure
     * @return the event fields, insertion-ordered
     */
    static Map<String, Object> of(Failure f) {
        ConnectionInfo conn = f.conn();
        Diagnosis d = f.diagnosis();
        ClientHelloSeen hello = f.hello();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("listener", conn.listener());
        e.put("leg", conn.leg());
        e.put("mode", conn.mode());
        e.put("connection_id", conn.connectionId());
        e.put("client_address", conn.clientAddress());
        e.put("backend_address", conn.backendAddress());
        e.put("duration_ms", Math.round(f.seconds() * 1000));
        e.put("cause", d.cause().code());
        e.put("summary", d.summary());
        e.put("hints", d.hints());
        e.put("alert", alert(d));
        e.put("engine_error", f.engineError());
        e.put("client_hello", hello == null ? null : clientHello(hello));
        Map<String, Object> negotiated = new LinkedHashMap<>();
        negotiated.put("protocol", f.protocol());
        negotiated.put("cipher", f.cipher());
        e.put("negotiated", negotiated);
        e.put("certificate", certificate(d.certificate(), d.certificateProblem(), f.chainLength()));
        e.put("evidence", evidence(d, hello));
        return e;
    }

    /** The diagnosis' evidence, plus the HelloRetryRequest the handshake needed, when it needed one. */
    private static Map<String, String> evidence(Diagnosis d, ClientHelloSeen hello) {
        if (hello == null || !hello.helloRetryRequest()) {
            return d.evidence();
        }
        Map<String, String> ev = new LinkedHashMap<>(d.evidence());
        String group = hello.helloRetryGroup() < 0 ? "no group named" : TlsRegistry.namedGroupName(hello.helloRetryGroup());
        ev.putIfAbsent("hello_retry_request", group + " (the client offered key shares for "
                + String.join(", ", names(hello.hello().keyShareGroups(), TlsRegistry::namedGroupName)) + ")");
        return ev;
    }

    private static Map<String, Object> alert(Diagnosis d) {
        Map<String, Object> a = new LinkedHashMap<>();
        Alert alert = d.alert();
        a.put("description", d.alertLabel());
        a.put("code", alert == null ? null : alert.description());
        a.put("level", alert == null ? null : alert.fatal() ? "fatal" : "warning");
        a.put("sender", d.alertSender().label());
        return a;
    }

    private static Map<String, Object> clientHello(ClientHelloSeen seen) {
        ClientHello h = seen.hello();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("versions", names(h.offeredVersions(), TlsRegistry::versionName));
        c.put("legacy_version", TlsRegistry.versionName(h.legacyVersion()));
        c.put("record_version", TlsRegistry.versionName(h.recordVersion()));
        c.put("cipher_suites", names(h.cipherSuites(), TlsRegistry::cipherSuiteName));
        c.put("server_name", h.serverName());
        c.put("extensions", names(h.extensionTypes(), TlsRegistry::extensionName));
        c.put("alpn", h.alpn());
        c.put("groups", names(h.supportedGroups(), TlsRegistry::namedGroupName));
        c.put("key_share_groups", names(h.keyShareGroups(), TlsRegistry::namedGroupName));
        c.put("signature_schemes", names(h.signatureSchemes(), TlsRegistry::signatureSchemeName));
        ClientHelloArrival arrival = seen.arrival();
        c.put("size_bytes", arrival == null ? null : arrival.sizeBytes());
        c.put("records", arrival == null ? null : arrival.records());
        c.put("tcp_reads", arrival == null ? null : arrival.tcpReads());
        c.put("ja3", Ja3.hash(h));
        c.put("ja4", Ja4.of(h));
        return c;
    }

    private static List<String> names(List<Integer> codes, IntFunction<String> namer) {
        return codes.stream().map(namer::apply).toList();
    }

    private static Map<String, Object> certificate(CertificateSummary c, String problem, int chainLength) {
        if (c == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subject", c.subject());
        m.put("issuer", c.issuer());
        m.put("not_before", c.notBefore().toString());
        m.put("not_after", c.notAfter().toString());
        m.put("san", c.subjectAltNames());
        m.put("chain_length", chainLength);
        m.put("role", c.role());
        m.put("sha256", c.sha256Fingerprint());
        m.put("problem", problem);
        return m;
    }
}
