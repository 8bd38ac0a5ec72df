package io.tlslens.inspector.diagnosis;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.registry.TlsRegistry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What tlslens learned about a backend by handshaking with it itself (passthrough mode): the chain it
 * serves for one SNI, and per protocol version whether it accepted a handshake and which cipher suite
 * it chose from tlslens' broad offer.
 *
 * @param chain    analysis of the chain the backend served, or null when no handshake completed
 * @param accepted version (wire code) → cipher suite code the backend chose, for each version it accepted
 * @param probed   every version tried (wire codes)
 * @param error    why no handshake completed at all, or null
 */
public record ProbedBackend(ChainAnalysis chain, Map<Integer, Integer> accepted, Set<Integer> probed,
                            String error) {
    /** Copies the collections (sorted by version). */
    public ProbedBackend {
        accepted = Map.copyOf(new TreeMap<>(accepted));
        probed = Set.copyOf(probed);
    }

    /** @return the accepted versions, ascending */
    public List<Integer> acceptedVersions() {
        return accepted.keySet().stream().sorted().toList();
    }

    /** @return e.g. {@code TLS 1.2: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA; TLS 1.3: TLS_AES_128_GCM_SHA256} */
    public String describeChoices() {
        if (accepted.isEmpty()) {
            return "none";
        }
        return new TreeMap<>(accepted).entrySet().stream()
                .map(e -> TlsRegistry.versionName(e.getKey()) + ": " + TlsRegistry.cipherSuiteName(e.getValue()))
                .collect(Collectors.joining("; "));
    }
}
