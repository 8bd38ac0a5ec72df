package io.tlslens.proxy.telemetry;

import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.policy.TlsPolicy;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the admin page and {@code /debug/certificates} show of one listener, as values: the runtime (which
 * knows the listeners and their TLS contexts) fills it, so that the admin room reads nothing but telemetry.
 *
 * @param name          the listener's name (metric label)
 * @param mode          {@code terminate}, {@code passthrough} or {@code originate}
 * @param bind          the bound address, {@code host:port}
 * @param backend       the default backend, {@code host:port}, or {@code none}
 * @param policy        the frontend policy as the engine serves it (terminate), else null
 * @param backendPolicy the backend leg's policy when the backend leg is TLS, else null
 * @param settings      further settings worth seeing during an incident, in words (require-sni, client-auth,
 *                      backend TLS server name, SNI routes…); configuration, never client input
 * @param served        the chains served now, default first, with their analysis (empty unless terminate);
 *                      asked on every read, so a certificate rotation or an OCSP revocation shows at once
 */
public record ListenerView(String name, String mode, String bind, String backend, TlsPolicy policy,
                           TlsPolicy backendPolicy, List<String> settings, Supplier<List<ChainAnalysis>> served) {
    public ListenerView {
        Objects.requireNonNull(name, "name");
        settings = List.copyOf(settings);
        Objects.requireNonNull(served, "served");
    }

    /** @return the chains served now, default first */
    public List<ChainAnalysis> servedChains() {
        return served.get();
    }
}
