package io.tlslens.proxy.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * What the TLS engine leaves out of a configured policy, as values (for the start-up warning and
 * {@code tlslens check}): protocol versions it does not speak, cipher suites of an explicit
 * {@code cipher-suites} list it does not implement, and — since BoringSSL's TLS 1.3 suites are fixed —
 * the TLS 1.3 suites it serves although an explicit list left them out. A named profile's own suites
 * the engine lacks (its DHE suites) are not drops: the profile is not the operator's list.
 *
 * @param engine             the engine's name, {@code BoringSSL} (or {@code JDK} where BoringSSL does not load)
 * @param protocols          configured versions the engine does not speak (e.g. {@code SSL 3.0})
 * @param cipherSuites       IANA names of explicitly configured suites the engine does not implement
 * @param tls13NotConfigured IANA names of TLS 1.3 suites served although the explicit list leaves them out
 */
public record EngineDrops(String engine, List<String> protocols, List<String> cipherSuites, List<String> tls13NotConfigured) {
    public EngineDrops {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        tls13NotConfigured = List.copyOf(tls13NotConfigured);
    }

    /** @return true when the engine serves the configured policy as written */
    public boolean isEmpty() {
        return protocols.isEmpty() && cipherSuites.isEmpty() && tls13NotConfigured.isEmpty();
    }

    /** @return one sentence per kind of drop, empty when nothing is dropped */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        if (!protocols.isEmpty()) {
            out.add("the TLS engine (" + engine + ") does not speak " + protocols + "; they are not offered");
        }
        if (!cipherSuites.isEmpty()) {
            out.add("the TLS engine (" + engine + ") does not implement cipher suites " + cipherSuites
                    + "; they are not offered");
        }
        if (!tls13NotConfigured.isEmpty()) {
            out.add("the TLS engine (" + engine + ") serves its fixed TLS 1.3 cipher suites: " + tls13NotConfigured
                    + " are offered although cipher-suites leaves them out");
        }
        return out;
    }
}
