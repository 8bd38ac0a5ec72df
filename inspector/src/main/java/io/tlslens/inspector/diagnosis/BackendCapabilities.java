package io.tlslens.inspector.diagnosis;

import java.util.List;

/**
 * What a backend accepts, learned by a short probe.
 *
 * @param versions     protocol versions the backend completed a handshake with, ascending wire codes
 * @param cipherSuites cipher suites it chose, one per accepted version
 */
public record BackendCapabilities(List<Integer> versions, List<Integer> cipherSuites) {
    public BackendCapabilities {
        versions = List.copyOf(versions);
        cipherSuites = List.copyOf(cipherSuites);
    }
}
