package io.tlslens.inspector.compat;

import io.tlslens.inspector.policy.CertificateKey;
import io.tlslens.inspector.policy.ClientOffer;
import io.tlslens.inspector.policy.Judgement.Verdict;
import io.tlslens.inspector.policy.Judgement;
import io.tlslens.inspector.policy.KeyType;
import io.tlslens.inspector.policy.PolicyJudge;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.wire.ClientHello;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * "Who breaks if I switch to this policy?": every distinct client seen, judged with {@link PolicyJudge}
 * against one policy and certificate key type, with the share of ClientHellos that would fail, by cause.
 *
 * @param policy   the policy judged against
 * @param key      the certificate key type assumed
 * @param rows     one row per distinct client, in the snapshot's order
 * @param evicted  distinct JA4s the aggregate dropped (their ClientHellos are not in the rows)
 */
public record CompatibilityReport(TlsPolicy policy, KeyType key, List<CompatibilityRow> rows, long evicted) {
    /** Copies the rows. */
    public CompatibilityReport {
        rows = List.copyOf(rows);
    }

    /**
     * @param clients distinct clients (e.g. {@link ClientHelloAggregate#snapshot()})
     * @param policy  the policy to judge against
     * @param key     the key type of the certificate that would be served
     * @param evicted distinct JA4s not represented (reported as is)
     * @return the report
     */
    public static CompatibilityReport judge(List<SeenClient> clients, TlsPolicy policy, KeyType key, long evicted) {
        return judge(clients, policy, CertificateKey.typical(key), List.of(), evicted);
    }

    /**
     * @param clients distinct clients (e.g. {@link ClientHelloAggregate#snapshot()})
     * @param policy  the policy to judge against
     * @param key     the key of the certificate that would be served (its curve decides the TLS 1.3 signature
     *                scheme and, for TLS 1.2, which group the client must list)
     * @param alpn    the ALPN protocol IDs the server would accept; empty = no ALPN
     * @param evicted distinct JA4s not represented (reported as is)
     * @return the report: each client's whole ClientHello judged (versions, cipher suites, groups and key
     *         shares, signature schemes, ALPN)
     */
    public static CompatibilityReport judge(List<SeenClient> clients, TlsPolicy policy, CertificateKey key,
                                            List<String> alpn, long evicted) {
        List<CompatibilityRow> rows = new ArrayList<>(clients.size());
        String server = "policy '" + policy.name() + "'";
        for (SeenClient c : clients) {
            ClientHello h = c.representative();
            Judgement j = PolicyJudge.judge(ClientOffer.of(h), policy, key, alpn, server);
            rows.add(new CompatibilityRow(c, j));
        }
        return new CompatibilityReport(policy, key.type(), rows, evicted);
    }

    /** @return ClientHellos represented (sum of the rows' counts) */
    public long clientHellos() {
        return rows.stream().mapToLong(r -> r.client().count()).sum();
    }

    /** @return ClientHellos whose judgement is not OK */
    public long failing() {
        return rows.stream().filter(r -> !r.judgement().ok()).mapToLong(r -> r.client().count()).sum();
    }

    /** @return {@link #failing()} / {@link #clientHellos()}, in [0, 1]; 0 when there are none */
    public double failingShare() {
        long all = clientHellos();
        return all == 0 ? 0 : (double) failing() / all;
    }

    /** @return failing rows grouped by verdict (never {@link Verdict#OK}), in verdict order */
    public Map<Verdict, List<CompatibilityRow>> failuresByCause() {
        Map<Verdict, List<CompatibilityRow>> out = new EnumMap<>(Verdict.class);
        for (CompatibilityRow r : rows) {
            if (!r.judgement().ok()) {
                out.computeIfAbsent(r.judgement().verdict(), v -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    /**
     * @param verdict a failing verdict
     * @return the docs/diagnosis.md cause code for it: {@code protocol_version_mismatch}, {@code no_shared_cipher},
     *         {@code no_shared_group}, {@code alpn_mismatch}; {@code ok} for OK
     */
    public static String causeCode(Verdict verdict) {
        return switch (verdict) {
            case OK -> "ok";
            case PROTOCOL_VERSION_MISMATCH -> "protocol_version_mismatch";
            case NO_SHARED_CIPHER -> "no_shared_cipher";
            case NO_SHARED_GROUP -> "no_shared_group";
            case ALPN_MISMATCH -> "alpn_mismatch";
        };
    }
}
