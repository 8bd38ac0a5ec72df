package io.tlslens.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
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
     * @param configured the listener's policy
     * @return the policy as served by the engine, same name
     */
    static TlsPolicy effective(TlsPolicy configured) {
        List<Integer> versions = configured.versions().stream().filter(v -> v >= 0x0301 && v <= 0x0304).toList();
        List<Integer> suites = new ArrayList<>();
        for (int code : configured.cipherSuites()) {
            String name = TlsRegistry.cipherSuiteName(code);
            if (OpenSsl.isCipherSuiteAvailable(name)) {
                suites.add(code);
            }
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
