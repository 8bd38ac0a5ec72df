package io.tlslens.inspector.policy;

import java.util.List;
import java.util.Objects;

/**
 * Outcome of judging one ClientHello against one policy, certificate key and ALPN list (docs/diagnosis.md step 4).
 *
 * @param verdict            the first failing check, or {@link Verdict#OK}
 * @param sharedVersions     versions both accept, ascending wire codes
 * @param usableCipherSuites cipher suites usable at the negotiated version, in the client's order; for
 *                           {@link Verdict#NO_SHARED_GROUP} and {@link Verdict#ALPN_MISMATCH} the suites that were
 *                           usable but for the group, signature scheme or ALPN; empty otherwise
 * @param sharedGroups       named groups both accept, in the client's order (empty when the client sent none)
 * @param version            the version the engine negotiates (the highest both accept), 0 when none
 * @param group              the named group the key exchange would use (the listener's most preferred one the
 *                           client supports), 0 when none is needed (static RSA, TLS ≤ 1.1 without ECDHE), not
 *                           known, or none fits
 * @param helloRetry         true when the client sent no key share for {@code group}: TLS 1.3 then costs a
 *                           HelloRetryRequest (one more round trip)
 * @param signatureScheme    the scheme the server would sign the handshake with, 0 when none is needed or known
 * @param alpn               the ALPN protocol the listener would select, null when none is negotiated
 * @param summary            one sentence naming the match or mismatch, for logs
 */
public record Judgement(Verdict verdict, List<Integer> sharedVersions, List<Integer> usableCipherSuites,
                        List<Integer> sharedGroups, int version, int group, boolean helloRetry, int signatureScheme,
                        String alpn, String summary) {

    /** The result of the judgement, in the order of docs/diagnosis.md step 4. */
    public enum Verdict { OK, PROTOCOL_VERSION_MISMATCH, NO_SHARED_CIPHER, NO_SHARED_GROUP, ALPN_MISMATCH }

    /** Copies the lists; verdict and summary are required. */
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

    /**
     * @return one sentence on the HelloRetryRequest the handshake costs, e.g. "the client sent key shares for
     *         secp384r1 but listener 'web' prefers x25519, which the client also supports: a HelloRetryRequest
     *         asks for it (one more round trip)"; null when there is none
     */
    public String helloRetryNote(List<Integer> keyShareGroups, String server) {
        if (!helloRetry) {
            return null;
        }
        String shares = keyShareGroups == null || keyShareGroups.stream().allMatch(Names::isGrease) ? "no key share"
                : "key shares for " + Names.groups(keyShareGroups);
        return "the client sent " + shares + " but " + server + " prefers " + Names.group(group)
                + ", which the client also supports: a HelloRetryRequest asks for it (one more round trip)";
    }
}
