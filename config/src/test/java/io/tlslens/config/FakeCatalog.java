package io.tlslens.config;

import io.tlslens.inspector.policy.TlsPolicy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** A small stand-in for the inspector's registries, so loader tests do not depend on them. */
final class FakeCatalog implements TlsCatalog {
    static final TlsPolicy INTERMEDIATE = new TlsPolicy("intermediate", List.of(0x0303, 0x0304),
            List.of(0xc02b, 0xc02f), List.of(0x1301, 0x1302, 0x1303), List.of(0x001d, 0x0017), List.of());
    static final TlsPolicy MODERN = new TlsPolicy("modern", List.of(0x0304),
            List.of(), List.of(0x1301, 0x1302, 0x1303), List.of(0x001d), List.of());

    private static final Map<String, Integer> VERSIONS = Map.of("TLSv1", 0x0301, "TLSv1.1", 0x0302,
            "TLSv1.2", 0x0303, "TLSv1.3", 0x0304, "SSLv3", 0x0300);
    private static final Map<String, Integer> SUITES = Map.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xc02b,
            "ECDHE-ECDSA-AES128-GCM-SHA256", 0xc02b,
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xc02f,
            "ECDHE-RSA-AES128-GCM-SHA256", 0xc02f,
            "TLS_AES_128_GCM_SHA256", 0x1301,
            "TLS_CHACHA20_POLY1305_SHA256", 0x1303);

    @Override
    public Optional<TlsPolicy> policy(String name) {
        return switch (name) {
            case "intermediate" -> Optional.of(INTERMEDIATE);
            case "modern" -> Optional.of(MODERN);
            default -> Optional.empty();
        };
    }

    @Override
    public Set<String> policyNames() {
        return Set.of("intermediate", "modern");
    }

    @Override
    public OptionalInt versionCode(String name) {
        Integer v = VERSIONS.get(name);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    @Override
    public OptionalInt cipherSuiteCode(String name) {
        Integer v = SUITES.get(name.toUpperCase(Locale.ROOT));
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }
}
