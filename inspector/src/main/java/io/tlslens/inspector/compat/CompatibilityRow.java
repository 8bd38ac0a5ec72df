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
     * @return the version the handshake would use (wire code: the highest both accept), or 0 when the judgement
     *         is not OK
     */
    public int version() {
        return judgement.ok() ? judgement.version() : 0;
    }

    /** @return the client's most preferred usable cipher suite (wire code), or -1 when the judgement is not OK */
    public int cipherSuite() {
        return judgement.ok() ? judgement.usableCipherSuites().get(0) : -1;
    }
}
