package io.tlslens.proxy.admin;

import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.compat.CompatibilityReport;
import io.tlslens.inspector.compat.CompatibilityRow;
import io.tlslens.inspector.corpus.ClientSimulationCorpus;
import io.tlslens.inspector.corpus.CorpusNames;
import io.tlslens.inspector.policy.Judgement.Verdict;
import io.tlslens.inspector.policy.KeyType;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders {@code GET /debug/compatibility?policy=NAME[&key=RSA|ECDSA]}: the ClientHellos seen so far
 * (a {@link ClientHelloAggregate}) judged against a named policy, as a JSON-ready map.
 */
public final class CompatibilityView {
    private CompatibilityView() {
    }

    /**
     * @return an aggregate of {@link ClientHelloAggregate#DEFAULT_CAPACITY} JA4s that names clients from
     *         the testssl.sh corpus when /etc/testssl/client-simulation.txt is installed (unnamed otherwise)
     */
    public static ClientHelloAggregate newAggregate() {
        Map<String, String> names;
        try {
            names = CorpusNames.byJa4(ClientSimulationCorpus.readDefault());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            names = Map.of();
        }
        return new ClientHelloAggregate(ClientHelloAggregate.DEFAULT_CAPACITY, names);
    }

    /**
     * @param policyName a {@link NamedPolicies} name
     * @param keyName    {@code RSA} or {@code ECDSA} (case-insensitive), null for ECDSA
     * @return an error message (policy or key unknown, listing the valid ones), empty when both are valid
     */
    public static Optional<String> validate(String policyName, String keyName) {
        if (policyName == null || NamedPolicies.byName(policyName).isEmpty()) {
            return Optional.of("unknown policy '" + policyName + "'; known: " + String.join(", ", NamedPolicies.names()));
        }
        if (keyName != null && !List.of("RSA", "ECDSA").contains(keyName.toUpperCase(Locale.ROOT))) {
            return Optional.of("unknown key '" + keyName + "'; known: RSA, ECDSA");
        }
        return Optional.empty();
    }

    /** @return the key type for a validated key name; ECDSA when null */
    public static KeyType key(String keyName) {
        return keyName == null ? KeyType.ECDSA : KeyType.valueOf(keyName.toUpperCase(Locale.ROOT));
    }

    /**
     * @param seen       the aggregate
     * @param policyName a valid policy name (see {@link #validate})
     * @param keyName    a valid key name or null
     * @return the report as nested maps/lists for Jackson
     */
    public static Map<String, Object> render(ClientHelloAggregate seen, String policyName, String keyName) {
        TlsPolicy policy = NamedPolicies.byName(policyName).orElseThrow();
        CompatibilityReport r = CompatibilityReport.judge(seen.snapshot(), policy, key(keyName), seen.evictions());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("policy", policy.name());
        out.put("key", r.key().name());
        out.put("client_hellos", r.clientHellos());
        out.put("distinct_ja4", r.rows().size());
        out.put("evicted_ja4", r.evicted());
        out.put("failing", r.failing());
        out.put("failing_share", Math.round(r.failingShare() * 10_000) / 10_000.0);
        Map<String, Object> causes = new LinkedHashMap<>();
        for (Map.Entry<Verdict, List<CompatibilityRow>> e : r.failuresByCause().entrySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            long n = e.getValue().stream().mapToLong(row -> row.client().count()).sum();
            c.put("client_hellos", n);
            c.put("share", r.clientHellos() == 0 ? 0 : Math.round(10_000.0 * n / r.clientHellos()) / 10_000.0);
            c.put("ja4", e.getValue().stream().map(row -> row.client().ja4()).toList());
            c.put("clients", e.getValue().stream().map(row -> row.client().clientName()).filter(x -> x != null).toList());
            causes.put(CompatibilityReport.causeCode(e.getKey()), c);
        }
        out.put("causes", causes);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CompatibilityRow row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ja4", row.client().ja4());
            m.put("client", row.client().clientName());
            m.put("count", row.client().count());
            m.put("verdict", CompatibilityReport.causeCode(row.judgement().verdict()));
            m.put("version", row.version() == 0 ? null : TlsRegistry.versionName(row.version()));
            m.put("cipher_suite", row.cipherSuite() < 0 ? null : TlsRegistry.cipherSuiteName(row.cipherSuite()));
            m.put("summary", row.judgement().summary());
            rows.add(m);
        }
        out.put("clients", rows);
        return out;
    }
}
