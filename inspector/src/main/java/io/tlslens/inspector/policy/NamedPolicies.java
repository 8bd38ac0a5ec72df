package io.tlslens.inspector.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tlslens.inspector.policy.CipherSuites.*;

/**
 * The named TLS policies: Mozilla server-side TLS profiles ({@code modern}, {@code intermediate},
 * {@code old}) and the AWS ELB security policies.
 *
 * <p>Sources: Mozilla "Security/Server Side TLS" recommended configurations, version 5.7
 * (https://wiki.mozilla.org/Security/Server_Side_TLS and the ssl-config generator's
 * {@code guidelines/5.7.json}); AWS "Security policies for your Application Load Balancer"
 * (Elastic Load Balancing documentation). Cipher suites are given in the order of those sources.
 *
 * <p>Groups: Mozilla lists X25519, prime256v1 (secp256r1) and secp384r1; tlslens adds the hybrid
 * post-quantum group X25519MLKEM768 (0x11EC) to {@code modern} and {@code intermediate}, because the
 * BoringSSL engine that terminates TLS supports it and current browsers offer it. The AWS policies
 * here keep the three classic groups (AWS offers post-quantum groups only in its separate
 * {@code -PQ-} policies). Signature schemes are left
 * empty ("whatever the certificate key can make") for every named policy.
 */
public final class NamedPolicies {
    private NamedPolicies() {
    }

    private static final int TLS10 = 0x0301;
    private static final int TLS11 = 0x0302;
    private static final int TLS12 = 0x0303;
    private static final int TLS13 = 0x0304;

    private static final int X25519 = 0x001D;
    private static final int SECP256R1 = 0x0017;
    private static final int SECP384R1 = 0x0018;
    private static final int X25519MLKEM768 = 0x11EC;

    private static final List<Integer> TLS13_SUITES = List.of(
            TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256);
    private static final List<Integer> GROUPS_PQ = List.of(X25519MLKEM768, X25519, SECP256R1, SECP384R1);
    private static final List<Integer> GROUPS = List.of(X25519, SECP256R1, SECP384R1);

    /** Mozilla 5.7 intermediate TLS 1.2 suites, in Mozilla's order. */
    private static final List<Integer> INTERMEDIATE_12 = List.of(
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,       // ECDHE-ECDSA-AES128-GCM-SHA256
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,         // ECDHE-RSA-AES128-GCM-SHA256
            TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,       // ECDHE-ECDSA-AES256-GCM-SHA384
            TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,         // ECDHE-RSA-AES256-GCM-SHA384
            TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, // ECDHE-ECDSA-CHACHA20-POLY1305
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,   // ECDHE-RSA-CHACHA20-POLY1305
            TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,           // DHE-RSA-AES128-GCM-SHA256
            TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,           // DHE-RSA-AES256-GCM-SHA384
            TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256);    // DHE-RSA-CHACHA20-POLY1305

    /** Mozilla 5.7 old: intermediate's suites plus these, in Mozilla's order. */
    private static final List<Integer> OLD_EXTRA = List.of(
            TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,       // ECDHE-ECDSA-AES128-SHA256
            TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,         // ECDHE-RSA-AES128-SHA256
            TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,          // ECDHE-ECDSA-AES128-SHA
            TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,            // ECDHE-RSA-AES128-SHA
            TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,       // ECDHE-ECDSA-AES256-SHA384
            TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,         // ECDHE-RSA-AES256-SHA384
            TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,          // ECDHE-ECDSA-AES256-SHA
            TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,            // ECDHE-RSA-AES256-SHA
            TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,           // DHE-RSA-AES128-SHA256
            TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,           // DHE-RSA-AES256-SHA256
            TLS_RSA_WITH_AES_128_GCM_SHA256,               // AES128-GCM-SHA256
            TLS_RSA_WITH_AES_256_GCM_SHA384,               // AES256-GCM-SHA384
            TLS_RSA_WITH_AES_128_CBC_SHA256,               // AES128-SHA256
            TLS_RSA_WITH_AES_256_CBC_SHA256,               // AES256-SHA256
            TLS_RSA_WITH_AES_128_CBC_SHA,                  // AES128-SHA
            TLS_RSA_WITH_AES_256_CBC_SHA,                  // AES256-SHA
            TLS_RSA_WITH_3DES_EDE_CBC_SHA);                // DES-CBC3-SHA

    /** AWS ELBSecurityPolicy-TLS13-1-2-2021-06 / TLS-1-2-2017-01 TLS 1.2 suites (identical lists). */
    private static final List<Integer> ELB_TLS12 = List.of(
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,       // ECDHE-ECDSA-AES128-GCM-SHA256
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,         // ECDHE-RSA-AES128-GCM-SHA256
            TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,       // ECDHE-ECDSA-AES128-SHA256
            TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,         // ECDHE-RSA-AES128-SHA256
            TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,       // ECDHE-ECDSA-AES256-GCM-SHA384
            TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,         // ECDHE-RSA-AES256-GCM-SHA384
            TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,       // ECDHE-ECDSA-AES256-SHA384
            TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,         // ECDHE-RSA-AES256-SHA384
            TLS_RSA_WITH_AES_128_GCM_SHA256,               // AES128-GCM-SHA256
            TLS_RSA_WITH_AES_128_CBC_SHA256,               // AES128-SHA256
            TLS_RSA_WITH_AES_256_GCM_SHA384,               // AES256-GCM-SHA384
            TLS_RSA_WITH_AES_256_CBC_SHA256);              // AES256-SHA256

    /** AWS ELBSecurityPolicy-FS-1-2-2019-08 / FS-1-1-2019-08 suites (forward secrecy only). */
    private static final List<Integer> ELB_FS = List.of(
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,       // ECDHE-ECDSA-AES128-GCM-SHA256
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,         // ECDHE-RSA-AES128-GCM-SHA256
            TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,       // ECDHE-ECDSA-AES128-SHA256
            TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,         // ECDHE-RSA-AES128-SHA256
            TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,          // ECDHE-ECDSA-AES128-SHA
            TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,            // ECDHE-RSA-AES128-SHA
            TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,       // ECDHE-ECDSA-AES256-GCM-SHA384
            TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,         // ECDHE-RSA-AES256-GCM-SHA384
            TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,       // ECDHE-ECDSA-AES256-SHA384
            TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,         // ECDHE-RSA-AES256-SHA384
            TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,          // ECDHE-ECDSA-AES256-SHA
            TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA);           // ECDHE-RSA-AES256-SHA

    private static final Map<String, TlsPolicy> POLICIES = build();

    private static Map<String, TlsPolicy> build() {
        Map<String, TlsPolicy> m = new LinkedHashMap<>();
        // Mozilla Server Side TLS 5.7, "modern": TLS 1.3 only.
        put(m, new TlsPolicy("modern", List.of(TLS13), List.of(), TLS13_SUITES, GROUPS_PQ, List.of()));
        // Mozilla Server Side TLS 5.7, "intermediate": TLS 1.2 and 1.3.
        put(m, new TlsPolicy("intermediate", List.of(TLS12, TLS13), INTERMEDIATE_12, TLS13_SUITES, GROUPS_PQ, List.of()));
        // Mozilla Server Side TLS 5.7, "old": TLS 1.0 to 1.3.
        List<Integer> old = new ArrayList<>(INTERMEDIATE_12);
        old.addAll(OLD_EXTRA);
        put(m, new TlsPolicy("old", List.of(TLS10, TLS11, TLS12, TLS13), old, TLS13_SUITES, GROUPS, List.of()));
        // AWS ELB security policies (Application Load Balancer documentation).
        put(m, new TlsPolicy("ELBSecurityPolicy-TLS13-1-2-2021-06", List.of(TLS12, TLS13), ELB_TLS12, TLS13_SUITES,
                GROUPS, List.of()));
        put(m, new TlsPolicy("ELBSecurityPolicy-TLS-1-2-2017-01", List.of(TLS12), ELB_TLS12, List.of(), GROUPS, List.of()));
        put(m, new TlsPolicy("ELBSecurityPolicy-FS-1-2-2019-08", List.of(TLS12), ELB_FS, List.of(), GROUPS, List.of()));
        put(m, new TlsPolicy("ELBSecurityPolicy-FS-1-1-2019-08", List.of(TLS11, TLS12), ELB_FS, List.of(), GROUPS, List.of()));
        return Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, TlsPolicy> m, TlsPolicy p) {
        m.put(p.name(), p);
    }

    /** @return the policy of that name (case-sensitive), empty when unknown */
    public static Optional<TlsPolicy> byName(String name) {
        return Optional.ofNullable(POLICIES.get(name));
    }

    /** @return every known policy name, in a stable order (Mozilla profiles first, then AWS) */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(POLICIES.keySet()));
    }
}
