package io.tlslens.proxy.backend.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlslens.inspector.cert.CertificateSummary;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.proxy.backend.probe.ProbeFacts.AlpnFacts;
import io.tlslens.proxy.backend.probe.ProbeFacts.NameKind;
import io.tlslens.proxy.backend.probe.ProbeFacts.VersionFacts;
import io.tlslens.proxy.backend.probe.ProbeReport.Chain;
import io.tlslens.proxy.backend.probe.ProbeReport.FailingClient;
import io.tlslens.proxy.backend.probe.ProbeReport.Finding;
import io.tlslens.proxy.backend.probe.ProbeReport.Policy;
import io.tlslens.proxy.backend.probe.ProbeReport.Staple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a {@link ProbeReport}: as JSON (docs/probe-json.md: the stable fields plus further ones) or as
 * text for a terminal (IANA cipher suite names with the OpenSSL names beside them).
 */
public final class ProbeOutput {
    private ProbeOutput() {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    // ---------------------------------------------------------------- JSON

    /** @return the report as a JSON document (pretty-printed) */
    public static String json(ProbeReport r) {
        try {
            return JSON.writeValueAsString(jsonTree(r));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the report as a JSON tree */
    public static ObjectNode jsonTree(ProbeReport r) {
        ProbeFacts f = r.facts();
        ObjectNode root = JSON.createObjectNode();
        root.put("target", f.target());
        root.put("server_name", f.serverName());
        ArrayNode versions = root.putArray("versions");
        for (VersionFacts v : f.versions()) {
            ObjectNode o = versions.addObject();
            o.put("version", TlsRegistry.versionName(v.version()));
            o.put("accepted", v.accepted());
            ArrayNode suites = o.putArray("cipher_suites");
            v.cipherSuites().forEach(s -> suites.add(TlsRegistry.cipherSuiteName(s)));
            if (v.serverOrder() == null) {
                o.putNull("server_order");
            } else {
                o.put("server_order", v.serverOrder());
            }
            ArrayNode groups = o.putArray("groups");
            v.groups().forEach(g -> groups.add(TlsRegistry.namedGroupName(g)));
            ArrayNode schemes = o.putArray("signature_schemes");
            v.signatureSchemes().forEach(s -> schemes.add(TlsRegistry.signatureSchemeName(s)));
            ArrayNode openssl = o.putArray("cipher_suites_openssl");
            v.cipherSuites().forEach(s -> openssl.add(openSsl(s)));
            o.put("refusal", v.refusal());
        }
        ArrayNode chains = root.putArray("chains");
        for (Chain c : r.chains()) {
            ObjectNode o = chains.addObject();
            o.put("sni", c.sni());
            o.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
            ArrayNode certs = o.putArray("certificates");
            for (ProbeReport.Certificate cert : c.certificates()) {
                CertificateSummary s = cert.summary();
                ObjectNode co = certs.addObject();
                co.put("subject", s.subject());
                co.put("issuer", s.issuer());
                co.put("not_after", s.notAfter().toString());
                ArrayNode san = co.putArray("san");
                s.subjectAltNames().forEach(san::add);
                co.put("key", cert.key());
                co.put("role", s.role());
                co.put("not_before", s.notBefore().toString());
                co.put("days_left", cert.daysLeft());
                co.put("serial", s.serialHex());
                co.put("sha256", s.sha256Fingerprint());
            }
            ArrayNode problems = o.putArray("problems");
            c.problems().forEach(problems::add);
            ArrayNode details = o.putArray("problem_details");
            c.details().forEach(details::add);
            o.put("refusal", c.refusal());
            o.put("checked_name", c.checkedName());
            if (!c.certificates().isEmpty()) {
                o.put("complete", c.complete());
                o.put("trusted", c.trusted());
                o.put("self_signed", c.selfSigned());
            }
            if (c.nameCovered() != null) {
                o.put("name_covered", c.nameCovered());
            }
        }
        Staple st = r.staple();
        ObjectNode staple = root.putObject("ocsp_staple");
        staple.put("present", st.present());
        staple.put("status", st.status());
        staple.put("requested", st.asked());
        staple.put("this_update", iso(st.thisUpdate()));
        staple.put("next_update", iso(st.nextUpdate()));
        staple.put("revoked_at", iso(st.revokedAt()));
        if (st.signatureValid() != null) {
            staple.put("signature_valid", st.signatureValid());
        }
        if (st.nextUpdate() != null) {
            staple.put("stale", st.nextUpdate().isBefore(r.checkedAt()));
        }
        staple.put("detail", st.detail());
        ArrayNode alpn = root.putArray("alpn");
        r.alpn().forEach(alpn::add);
        ArrayNode policies = root.putArray("policies");
        for (Policy p : r.policies()) {
            ObjectNode o = policies.addObject();
            o.put("name", p.name());
            o.put("satisfied", p.satisfied());
            ArrayNode outside = o.putArray("outside");
            p.outside().forEach(outside::add);
        }
        ArrayNode failing = root.putArray("failing_clients");
        for (FailingClient c : r.failingClients()) {
            ObjectNode o = failing.addObject();
            o.put("client", c.client());
            o.put("cause", c.cause());
            o.put("current", c.current());
            o.put("tls12", c.tls12());
            o.put("summary", c.summary());
        }
        ArrayNode findings = root.putArray("findings");
        for (Finding fi : r.findings()) {
            ObjectNode o = findings.addObject();
            o.put("cause", fi.cause());
            o.put("severity", fi.severity().word());
            o.put("summary", fi.summary());
            ArrayNode hints = o.putArray("hints");
            fi.hints().forEach(hints::add);
        }
        if (f.notTls() != null) {
            root.put("not_tls_first_bytes", HelloExchange.printable(f.notTls()));
        }
        root.put("corpus_clients", r.corpusClients());
        root.put("corpus_problem", r.corpusProblem());
        root.put("connections", f.connections());
        root.put("peak_connections", f.peakConnections());
        root.put("elapsed_ms", f.elapsed().toMillis());
        root.put("checked_at", r.checkedAt().toString());
        root.put("problems_found", r.problemsFound());
        return root;
    }

    /**
     * The JSON printed when TCP cannot be opened: the stable fields empty, one finding.
     *
     * @param target     as given
     * @param serverName as sent, or null
     * @param reason     {@code refused}, {@code timeout} or {@code unreachable}
     * @param message    what happened
     */
    public static String connectFailureJson(String target, String serverName, String reason, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("target", target);
        root.put("server_name", serverName);
        root.putArray("versions");
        root.putArray("chains");
        ObjectNode staple = root.putObject("ocsp_staple");
        staple.put("present", false);
        staple.putNull("status");
        root.putArray("alpn");
        root.putArray("policies");
        root.putArray("failing_clients");
        ObjectNode f = root.putArray("findings").addObject();
        io.tlslens.inspector.diagnosis.Cause cause = switch (reason) {
            case "refused" -> io.tlslens.inspector.diagnosis.Cause.BACKEND_CONNECT_REFUSED;
            case "timeout" -> io.tlslens.inspector.diagnosis.Cause.BACKEND_CONNECT_TIMEOUT;
            default -> io.tlslens.inspector.diagnosis.Cause.BACKEND_UNREACHABLE;
        };
        f.put("cause", cause.code());
        f.put("severity", "error");
        f.put("summary", message);
        ArrayNode hints = f.putArray("hints");
        io.tlslens.inspector.diagnosis.FixHints.forCause(cause).forEach(hints::add);
        root.put("connect_failure", reason);
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String openSsl(int suite) {
        String o = TlsRegistry.openSslCipherName(suite);
        return o != null ? o : TlsRegistry.cipherSuiteName(suite);
    }

    // ---------------------------------------------------------------- text

    /** @return the report as text for a terminal */
    public static String text(ProbeReport r) {
        ProbeFacts f = r.facts();
        StringBuilder sb = new StringBuilder();
        sb.append("tlslens probe ").append(f.target());
        sb.append(f.serverName() != null ? " (server_name " + f.serverName() + ")" : " (no server_name)");
        sb.append(String.format(Locale.ROOT, ": %d connections in %.1f s%n", f.connections(), f.elapsed().toMillis() / 1000.0));
        if (f.notTls() != null) {
            sb.append("\nnot TLS: the server answered '").append(HelloExchange.printable(f.notTls())).append("'\n");
        }
        if (!f.versions().isEmpty()) {
            sb.append("\nVersions and cipher suites\n");
            for (VersionFacts v : f.versions()) {
                String name = TlsRegistry.versionName(v.version());
                if (!v.accepted()) {
                    sb.append(String.format("  %-8s not accepted (%s)%n", name, v.refusal()));
                    continue;
                }
                String order = v.serverOrder() == null ? "" : v.serverOrder() ? ", server's order" : ", client's order";
                sb.append(String.format("  %-8s accepted: %d cipher suite%s%s%n", name, v.cipherSuites().size(),
                        v.cipherSuites().size() == 1 ? "" : "s", order));
                for (int s : v.cipherSuites()) {
                    sb.append(String.format("             %-45s %s%n", TlsRegistry.cipherSuiteName(s), openSsl(s)));
                }
                if (!v.groups().isEmpty()) {
                    sb.append("             groups: ").append(names(v.groups(), TlsRegistry::namedGroupName)).append('\n');
                }
                if (!v.signatureSchemes().isEmpty()) {
                    sb.append("             signature schemes: ")
                            .append(names(v.signatureSchemes(), TlsRegistry::signatureSchemeName)).append('\n');
                }
            }
        }
        if (!r.chains().isEmpty()) {
            sb.append("\nCertificates\n");
            for (Chain c : r.chains()) {
                sb.append("  ").append(label(c)).append(": ");
                if (c.certificates().isEmpty()) {
                    sb.append(c.refusal()).append('\n');
                    continue;
                }
                sb.append(c.complete() ? "complete" : "incomplete").append(", ")
                        .append(c.trusted() ? "reaches a trust anchor" : "no trust anchor")
                        .append(c.selfSigned() ? ", self-signed leaf" : "");
                if (c.nameCovered() != null) {
                    sb.append(c.nameCovered() ? ", covers " : ", does NOT cover ").append(c.checkedName());
                }
                sb.append('\n');
                int i = 0;
                for (ProbeReport.Certificate cert : c.certificates()) {
                    CertificateSummary s = cert.summary();
                    sb.append(String.format("    %d %-12s %s%n", i++, s.role(), s.subject()));
                    sb.append(String.format("      issuer %s; %s; not after %s (%s)%n", s.issuer(), cert.key(),
                            s.notAfter(), cert.daysLeft() < 0 ? "expired " + -cert.daysLeft() + " days ago"
                                    : cert.daysLeft() + " days left"));
                    if (!s.subjectAltNames().isEmpty()) {
                        sb.append("      SAN ").append(String.join(", ", s.subjectAltNames())).append('\n');
                    }
                }
                for (int p = 0; p < c.problems().size(); p++) {
                    sb.append("    problem ").append(c.problems().get(p)).append(": ").append(c.details().get(p)).append('\n');
                }
            }
            Staple st = r.staple();
            sb.append("  OCSP staple: ");
            if (!st.present()) {
                sb.append(st.asked() ? "none (status_request sent)" : "not requested").append('\n');
            } else {
                sb.append(st.status());
                if (st.nextUpdate() != null) {
                    sb.append(", next update ").append(st.nextUpdate());
                }
                if (st.revokedAt() != null) {
                    sb.append(", revoked at ").append(st.revokedAt());
                }
                if (st.detail() != null) {
                    sb.append(" (").append(st.detail()).append(')');
                }
                sb.append('\n');
            }
        }
        if (!f.alpn().isEmpty()) {
            sb.append("\nALPN: ");
            List<String> parts = new ArrayList<>();
            for (AlpnFacts a : f.alpn()) {
                parts.add(a.protocol() + (a.accepted() ? " accepted" : a.alertCode() == 120
                        ? " refused (no_application_protocol)" : " not selected"));
            }
            sb.append(String.join(", ", parts)).append('\n');
        }
        if (!r.policies().isEmpty() && !f.versions().isEmpty()) {
            sb.append("\nNamed policies\n");
            for (Policy p : r.policies()) {
                sb.append(String.format("  %-38s %s%n", p.name(), p.satisfied() ? "satisfied"
                        : p.outside().isEmpty() ? "not satisfied" : "not satisfied: accepts " + abbreviate(p.outside())));
            }
        }
        if (r.corpusClients() > 0) {
            sb.append("\nClients of the testssl.sh corpus: ").append(r.failingClients().size()).append(" of ")
                    .append(r.corpusClients()).append(" would fail\n");
            Map<String, List<FailingClient>> byCause = r.failingClients().stream().collect(Collectors.groupingBy(
                    FailingClient::cause, java.util.LinkedHashMap::new, Collectors.toList()));
            for (var e : byCause.entrySet()) {
                List<FailingClient> list = e.getValue();
                String names = list.stream().limit(12).map(c -> c.client() + (c.current() ? " (current)" : ""))
                        .collect(Collectors.joining(", "));
                sb.append(String.format("  %-26s %d: %s%s%n", e.getKey(), list.size(), names,
                        list.size() > 12 ? " and " + (list.size() - 12) + " more" : ""));
            }
        } else if (r.corpusProblem() != null) {
            sb.append("\nClients: not judged (").append(r.corpusProblem()).append(")\n");
        }
        sb.append("\nFindings\n");
        if (r.findings().isEmpty()) {
            sb.append("  none\n");
        }
        for (Finding fi : r.findings()) {
            sb.append(String.format("  %-8s %s: %s%n", fi.severity().word(), fi.cause(), fi.summary()));
            fi.hints().stream().limit(3).forEach(h -> sb.append("           fix: ").append(h).append('\n'));
        }
        return sb.toString();
    }

    private static String label(Chain c) {
        if (c.kind() == NameKind.NAME) {
            return "server_name " + c.sni();
        }
        if (c.kind() == NameKind.NONE) {
            return "no server_name";
        }
        return "unknown server_name " + c.sni();
    }

    private static String names(List<Integer> codes, java.util.function.IntFunction<String> name) {
        return codes.stream().map(name::apply).collect(Collectors.joining(", "));
    }

    private static String abbreviate(List<String> items) {
        if (items.size() <= 4) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, 4)) + " and " + (items.size() - 4) + " more";
    }
}
