package io.tlslens.inspector.policy;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of judging one ClientHello against one policy and certificate key (DIAGNOSIS.md step 4).
 *
 * @param verdict            the first failing check, or {@link Verdict#OK}
 * @param sharedVersions     versions both accept, ascending wire codes
 * @param usableCipherSuites cipher suites usable at the best working shared version, in the client's
 *                           order; for {@link Verdict#NO_SHARED_GROUP} the TLS 1.3 suites both accept
 *                           (usable but for the group); empty otherwise
 * @param sharedGroups       named groups both accept, in the client's order (empty when the client sent none)
 * @param summary            one sentence naming the match or mismatch, for logs
 */
public record Judgement(Verdict verdict, List<Integer> sharedVersions, List<Integer> usableCipherSuites,
                        List<Integer> sharedGroups, String summary) {

    /** The result of the judgement, in the order of DIAGNOSIS.md step 4. */
    public enum Verdict { OK, PROTOCOL_VERSION_MISMATCH, NO_SHARED_CIPHER, NO_SHARED_GROUP }

    /** Copies the lists; all arguments are required. */
    public Judgement {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(summary, "summary");
        sharedVersions = List.copyOf(sharedVersions);
        usableCipherSuites = List.copyOf(usableCipherSuites);
        sharedGroups = List.copyOf(sharedGroups);
    }

    /** @return true when the verdict is {@link Verdict#OK} */
    public boolean ok() {
        return verdict == Verdict.OK;
    }
}
