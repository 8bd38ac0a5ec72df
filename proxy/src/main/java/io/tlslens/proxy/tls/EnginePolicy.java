package io.tlslens.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * Narrows a configured {@link TlsPolicy} to what the BoringSSL engine can serve, so that the
 * diagnoser judges ClientHellos against what the engine really accepts: TLS 1.0–1.3 only, TLS ≤ 1.2
 * cipher suites the engine has, and BoringSSL's fixed TLS 1.3 suites (not configurable in BoringSSL).
 */
final class EnginePolicy {
    private static final List<Integer> BORINGSSL_TLS13 = List.of(0x1301, 0x1302, 0x1303);

    private EnginePolicy() {
    }

    /**
     * The policy as the engine serves it, and what it leaves out of the configured one.
     *
     * @param policy the policy as served, same name as configured
     * @param drops  what the engine does not serve of an explicit configuration
     */
    record Narrowed(TlsPolicy policy, EngineDrops drops) {
    }

    /**
     * Never wider than configured: an empty suite list would make the engine fall back to its own defaults,
     * so a TLS ≤ 1.2 list the engine cannot serve at all is refused, and suites it lacks are dropped. The
     * drops are returned as values; the callers log them at start-up and {@code tlslens check} prints them.
     *
     * @param configured the listener's (or backend leg's) policy
     * @param where      what the policy belongs to, for the refusal's message
     * @return the served policy and what the engine drops of an explicit configuration
     * @throws IllegalArgumentException when TLS ≤ 1.2 is enabled and the engine implements none of its cipher suites
     */
    static Narrowed narrow(TlsPolicy configured, String where) {
        List<Integer> versions = configured.versions().stream().filter(v -> v >= 0x0301 && v <= 0x0304).toList();
        List<String> droppedVersions = configured.versions().stream().filter(v -> v < 0x0301 || v > 0x0304)
                .map(TlsRegistry::versionName).toList();
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
        String engine = TlsProvider.get() == SslProvider.OPENSSL ? "BoringSSL" : "JDK";
        if (tls12OrLower && suites.isEmpty() && !configured.cipherSuites().isEmpty()) {
            throw new IllegalArgumentException("the TLS engine (" + engine + ") implements none of the "
                    + "configured TLS 1.2-and-lower cipher suites " + dropped + " for " + where
                    + "; serving its defaults instead would accept suites that were not configured");
        }
        boolean tls13 = versions.contains(0x0304);
        TlsPolicy profile = profile(configured);
        // an explicit cipher-suites list: the operator asked for these (a named profile's DHE suites
        // are left out by BoringSSL as a matter of course, and the profile is not the operator's list)
        boolean explicit12 = profile == null || !profile.cipherSuites().equals(configured.cipherSuites());
        boolean explicit13 = profile == null || !profile.tls13CipherSuites().equals(configured.tls13CipherSuites());
        List<String> droppedSuites = new ArrayList<>(tls12OrLower && explicit12 ? dropped : List.of());
        List<String> notConfigured13 = new ArrayList<>();
        if (tls13 && explicit13) {
            configured.tls13CipherSuites().stream().filter(c -> !BORINGSSL_TLS13.contains(c))
                    .map(TlsRegistry::cipherSuiteName).forEach(droppedSuites::add);
            BORINGSSL_TLS13.stream().filter(c -> !configured.tls13CipherSuites().contains(c))
                    .map(TlsRegistry::cipherSuiteName).forEach(notConfigured13::add);
        }
        TlsPolicy served = new TlsPolicy(configured.name(), versions, suites, tls13 ? BORINGSSL_TLS13 : List.of(),
                configured.groups(), configured.signatureSchemes());
        return new Narrowed(served, new EngineDrops(engine, droppedVersions, droppedSuites, notConfigured13));
    }

    /** @return the named profile an overridden policy ({@code <name>+overrides}) started from, null for none */
    private static TlsPolicy profile(TlsPolicy configured) {
        String name = configured.name();
        String base = name.endsWith("+overrides") ? name.substring(0, name.length() - "+overrides".length()) : name;
        return NamedPolicies.byName(base).orElse(null);
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
