package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import io.tlslens.inspector.policy.TlsPolicy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The effective policy of one {@code tls { }} block: the named {@code policy}, with its versions replaced by
 * {@code protocols} and its TLS &lt;= 1.2 and/or TLS 1.3 cipher suites replaced by {@code cipher-suites}.
 * Unknown names, empty lists and enabled versions left without a cipher suite are problems.
 */
final class PolicyOverrides {
    private final TlsCatalog catalog;
    private final ConfigReader read;

    PolicyOverrides(TlsCatalog catalog, ConfigReader read) {
        this.catalog = catalog;
        this.read = read;
    }

    /**
     * @param c      the {@code tls} block
     * @param prefix its key path, ending in {@code tls.}
     * @param where  the origin to blame for keys it lacks
     * @return the named policy when nothing overrides it, else {@code <name>+overrides}; null after a problem
     */
    TlsPolicy resolve(Config c, String prefix, ConfigOrigin where) {
        int before = read.count();
        String name = read.string(c, prefix, "policy", where);
        TlsPolicy base = null;
        if (name != null) {
            base = catalog.policy(name).orElse(null);
            if (base == null) {
                read.problem(prefix + "policy", ConfigReader.originOf(c, "policy", where),
                        "unknown policy \"" + name + "\"",
                        "use one of: " + String.join(", ", new TreeSet<>(catalog.policyNames())));
            }
        }
        List<Integer> versions = null;
        if (c.hasPath("protocols")) {
            List<Integer> codes = codes(c, prefix, "protocols", where, catalog::versionCode,
                    n -> "unknown protocol \"" + n + "\"",
                    "use one of: " + String.join(", ", TlsCatalog.PROTOCOL_NAMES));
            if (codes != null) {
                versions = new ArrayList<>(new TreeSet<>(codes));
            }
        }
        List<Integer> tls12 = null;
        List<Integer> tls13 = null;
        if (c.hasPath("cipher-suites")) {
            List<Integer> codes = codes(c, prefix, "cipher-suites", where, catalog::cipherSuiteCode,
                    n -> "unknown cipher suite \"" + n + "\"",
                    "use an IANA or OpenSSL name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or ECDHE-RSA-AES128-GCM-SHA256");
            if (codes != null) {
                List<Integer> a = new ArrayList<>();
                List<Integer> b = new ArrayList<>();
                for (int code : new LinkedHashSet<>(codes)) {
                    (isTls13Suite(code) ? b : a).add(code);
                }
                tls12 = a.isEmpty() ? null : a;
                tls13 = b.isEmpty() ? null : b;
            }
        }
        if (read.count() > before || base == null) {
            return null;
        }
        if (versions == null && tls12 == null && tls13 == null) {
            return base;
        }
        TlsPolicy effective = new TlsPolicy(base.name() + "+overrides",
                versions != null ? versions : base.versions(),
                tls12 != null ? tls12 : base.cipherSuites(),
                tls13 != null ? tls13 : base.tls13CipherSuites(),
                base.groups(), base.signatureSchemes());
        String origin = ConfigReader.originOf(c, versions != null ? "protocols" : "cipher-suites", where);
        boolean any13 = effective.versions().stream().anyMatch(v -> v >= 0x0304);
        boolean any12 = effective.versions().stream().anyMatch(v -> v < 0x0304);
        if (any13 && effective.tls13CipherSuites().isEmpty()) {
            read.problem(prefix + "protocols", origin,
                    "TLSv1.3 is enabled but policy " + base.name() + " has no TLS 1.3 cipher suites",
                    "add TLS 1.3 suites to cipher-suites (e.g. TLS_AES_128_GCM_SHA256), or remove TLSv1.3 from protocols");
            return null;
        }
        if (any12 && effective.cipherSuites().isEmpty()) {
            read.problem(prefix + "protocols", origin,
                    "TLS 1.2 or older is enabled but policy " + base.name() + " has no TLS <= 1.2 cipher suites",
                    "add TLS <= 1.2 suites to cipher-suites (e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), choose policy = intermediate, or use protocols = [\"TLSv1.3\"]");
            return null;
        }
        return effective;
    }

    /** TLS 1.3 cipher suites (RFC 8446 B.4): 0x1301..0x1305. */
    static boolean isTls13Suite(int code) {
        return code >= 0x1301 && code <= 0x1305;
    }

    /** @return the codes of a non-empty list of names; null after a problem (each bad name is one) */
    private List<Integer> codes(Config c, String prefix, String key, ConfigOrigin where,
                                Function<String, OptionalInt> lookup, Function<String, String> unknown, String fix) {
        int before = read.count();
        List<ConfigReader.Item> names = read.strings(c, prefix, key, where, "a list of names", "a name", fix);
        if (names == null) {
            return null;
        }
        if (names.isEmpty() && read.count() == before) {
            read.problem(prefix + key, ConfigReader.originOf(c, key, where), key + " is empty",
                    "name at least one, or remove the key to keep the policy's list");
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (ConfigReader.Item n : names) {
            OptionalInt code = lookup.apply(n.text());
            if (code.isEmpty()) {
                read.problem(n.path(), n.origin(), unknown.apply(n.text()), fix);
            } else {
                out.add(code.getAsInt());
            }
        }
        return read.count() > before ? null : out;
    }
}
