package io.tlslens.proxy.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Narrows a configured {@link TlsPolicy} to what the BoringSSL engine can serve, so that the
 * diagnoser judges ClientHellos against what the engine really accepts: TLS 1.0–1.3 only, TLS ≤ 1.2
 * cipher suites the engine has, BoringSSL's fixed TLS 1.3 suites (not configurable in BoringSSL), and the
 * policy's named groups the engine implements, in the policy's order. The engine is then configured with
 * exactly these groups ({@link #groupNames}): left alone, Netty would offer its own defaults (X25519MLKEM768,
 * X25519, P-256, P-384 and P-521), wider than the policy.
 */
final class EnginePolicy {
    private static final List<Integer> BORINGSSL_TLS13 = List.of(0x1301, 0x1302, 0x1303);
    /** BoringSSL's spelling of the IANA named groups it may implement (SSL_CTX_set1_groups_list names). */
    private static final Map<Integer, String> ENGINE_GROUP_NAMES = Map.ofEntries(
            Map.entry(0x0017, "P-256"), Map.entry(0x0018, "P-384"), Map.entry(0x0019, "P-521"),
            Map.entry(0x001D, "X25519"), Map.entry(0x0202, "MLKEM1024"), Map.entry(0x11EB, "SecP256r1MLKEM768"),
            Map.entry(0x11EC, "X25519MLKEM768"), Map.entry(0x11ED, "SecP384r1MLKEM1024"),
            Map.entry(0x6399, "X25519Kyber768Draft00"));
    private static final Map<Integer, Boolean> ENGINE_HAS_GROUP = new ConcurrentHashMap<>();

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
                groups(configured, where), configured.signatureSchemes());
        return new Narrowed(served, new EngineDrops(engine, droppedVersions, droppedSuites, notConfigured13));
    }

    /** @return the named profile an overridden policy ({@code <name>+overrides}) started from, null for none */
    private static TlsPolicy profile(TlsPolicy configured) {
        String name = configured.name();
        String base = name.endsWith("+overrides") ? name.substring(0, name.length() - "+overrides".length()) : name;
        return NamedPolicies.byName(base).orElse(null);
    }

    /** The policy's groups the engine implements, in the policy's order; all of them on the JDK fallback. */
    private static List<Integer> groups(TlsPolicy configured, String where) {
        if (TlsProvider.get() != SslProvider.OPENSSL) {
            return configured.groups();
        }
        List<Integer> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (int g : configured.groups()) {
            if (engineHasGroup(g)) {
                kept.add(g);
            } else {
                dropped.add(TlsRegistry.namedGroupName(g));
            }
        }
        if (kept.isEmpty() && !configured.groups().isEmpty()) {
            throw new IllegalArgumentException("the TLS engine (" + TlsProvider.get() + ") implements none of the named groups "
                    + dropped + " of policy " + configured.name() + " for " + where);
        }
        // groups come from the named profiles only (no configuration key): one the engine lacks is not an operator's
        // drop, it is simply not offered
        return kept;
    }

    /** Whether BoringSSL accepts the group, tried once per group on a throw-away client context. */
    private static boolean engineHasGroup(int group) {
        String name = ENGINE_GROUP_NAMES.get(group);
        if (name == null) {
            return false;
        }
        return ENGINE_HAS_GROUP.computeIfAbsent(group, g -> {
            try {
                SslContext probe = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                        .option(OpenSslContextOption.GROUPS, new String[] {name}).build();
                ReferenceCountUtil.release(probe);
                return true;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * @param p a policy made by {@link #narrow}
     * @return the engine's names of its groups in order, for {@link OpenSslContextOption#GROUPS}; empty on the JDK
     *         fallback (which keeps its own)
     */
    static String[] groupNames(TlsPolicy p) {
        if (TlsProvider.get() != SslProvider.OPENSSL) {
            return new String[0];
        }
        return p.groups().stream().map(ENGINE_GROUP_NAMES::get).filter(n -> n != null).toArray(String[]::new);
    }

    /**
     * The engine's ALPN settings for a list of protocol IDs. On a mismatch BoringSSL (through netty-tcnative, which
     * cannot fail the handshake from its selector) answers without ALPN rather than with the
     * {@code no_application_protocol} alert RFC 7301 §3.2 asks for: the terminate pipeline's record tap sends that
     * alert itself, before the engine sees the ClientHello.
     *
     * @param protocols protocol IDs in order of preference; empty = no ALPN
     * @return the configuration: {@link ApplicationProtocolConfig#DISABLED} for an empty list
     */
    static ApplicationProtocolConfig alpn(List<String> protocols) {
        if (protocols.isEmpty()) {
            return ApplicationProtocolConfig.DISABLED;
        }
        return new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols);
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
