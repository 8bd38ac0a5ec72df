package io.tlslens.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Narrows a configured {@link TlsPolicy} to what the BoringSSL engine can serve, so that the
 * diagnoser judges ClientHellos against what the engine really accepts: TLS 1.0–1.3 only, TLS ≤ 1.2
 * cipher suites the engine has, and BoringSSL's fixed TLS 1.3 suites (not configurable in BoringSSL).
 */
final class EnginePolicy {
    private static final Logger LOG = LoggerFactory.getLogger(EnginePolicy.class);
    private static final List<Integer> BORINGSSL_TLS13 = List.of(0x1301, 0x1302, 0x1303);

    private EnginePolicy() {
    }

    /**
     * Never wider than configured: an empty suite list would make the engine fall back to its own defaults,
     * so a TLS ≤ 1.2 list the engine cannot serve at all is refused, and suites it lacks are dropped with a
     * warning.
     *
     * @param configured the listener's (or backend leg's) policy
     * @param where      what the policy belongs to, for the warning ({@code listener 'web'})
     * @return the policy as served by the engine, same name
     * @throws IllegalArgumentException when TLS ≤ 1.2 is enabled and the engine implements none of its cipher suites
     */
    static TlsPolicy effective(TlsPolicy configured, String where) {
        List<Integer> versions = configured.versions().stream().filter(v -> v >= 0x0301 && v <= 0x0304).toList();
        List<Integer> suites = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int code : configured.cipherSuites()) {
            String name = TlsRegistry.cipherSuiteName(code);
            if (OpenSsl.isCipherSuiteAvailable(name)) {
                suites.add(code);
            } else {
                dropped.add(name);
            }
        }
        boolean tls12OrLower = versions.stream().anyMatch(v -> v <= 0x0303);
        if (tls12OrLower && suites.isEmpty() && !configured.cipherSuites().isEmpty()) {
            throw new IllegalArgumentException("the TLS engine (" + TlsProvider.get() + ") implements none of the "
                    + "configured TLS 1.2-and-lower cipher suites " + dropped + " for " + where
                    + "; serving its defaults instead would accept suites that were not configured");
        }
        if (!dropped.isEmpty() && tls12OrLower && configured.name().endsWith("+overrides")) {
            // an explicit cipher-suites list: the operator asked for these (a named profile's DHE suites
            // are left out by BoringSSL as a matter of course, and the profile is not the operator's list)
            LOG.warn("{}: the TLS engine ({}) does not implement cipher suites {}; they are not offered", where,
                    TlsProvider.get(), dropped);
        }
        List<Integer> tls13 = versions.contains(0x0304) ? BORINGSSL_TLS13 : List.of();
        return new TlsPolicy(configured.name(), versions, suites, tls13, configured.groups(), configured.signatureSchemes());
    }

    /** @return JDK protocol names for the engine, e.g. {@code TLSv1.2} */
    static String[] protocolNames(TlsPolicy p) {
        return p.versions().stream().map(TlsRegistry::versionProtocolName).toArray(String[]::new);
    }

    /** @return IANA (= JDK) cipher suite names for the engine, TLS 1.3 ones included */
    static List<String> cipherNames(TlsPolicy p) {
        List<String> names = new ArrayList<>();
        p.tls13CipherSuites().forEach(c -> names.add(TlsRegistry.cipherSuiteName(c)));
        p.cipherSuites().forEach(c -> names.add(TlsRegistry.cipherSuiteName(c)));
        return names;
    }
}
