package io.tlslens.inspector.compat;

import io.tlslens.inspector.policy.Judgement;

import java.util.Objects;

/**
 * One distinct client judged against one policy.
 *
 * @param client    the client (JA4, count, representative ClientHello, name)
 * @param judgement what {@code PolicyJudge} decided for its ClientHello
 */
public record CompatibilityRow(SeenClient client, Judgement judgement) {
    /** Both arguments are required. */
    public CompatibilityRow {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(judgement, "judgement");
    }

    /**
     * @return the version the handshake would use (wire code: 0x0304 when the usable suites are TLS 1.3
     *         suites, else the highest shared version below TLS 1.3), or 0 when the judgement is not OK
     */
    public int version() {
        if (!judgement.ok()) {
            return 0;
        }
        if ((judgement.usableCipherSuites().get(0) >> 8) == 0x13) {
            return 0x0304;
        }
        return judgement.sharedVersions().stream().filter(v -> v < 0x0304).max(Integer::compare).orElse(0);
    }

    /** @return the client's most preferred usable cipher suite (wire code), or -1 when the judgement is not OK */
    public int cipherSuite() {
        return judgement.ok() ? judgement.usableCipherSuites().get(0) : -1;
    }
}
