package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tlslens.inspector.policy.TlsPolicy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the {@code tls { }} block of either leg: a listener's {@code tls} into {@link FrontendTls}, a
 * backend's {@code tls} into {@link BackendTls}. Each method returns null when the block had a problem.
 */
final class TlsBlocks {
    /** A DNS name, or a wildcard {@code *.example.com}; lower case. */
    static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*\\.?");

    /** RFC 7301 §3.1: a protocol ID is an opaque, non-empty byte string of at most 255 bytes. */
    private static final int MAX_ALPN_BYTES = 255;

    private final ConfigReader read;
    private final ConfigFiles files;
    private final PolicyOverrides policies;

    TlsBlocks(ConfigReader read, ConfigFiles files, PolicyOverrides policies) {
        this.read = read;
        this.files = files;
        this.policies = policies;
    }

    /**
     * @param c      the listener's {@code tls} block, over {@code listener-defaults}
     * @param prefix its key path, ending in {@code tls.}
     * @param where  the listener's origin
     * @param mode   the listener's mode (null when unreadable): terminate needs a certificate
     */
    FrontendTls frontend(Config c, String prefix, ConfigOrigin where, Mode mode) {
        int before = read.count();
        List<CertificateKeyPair> pairs = new ArrayList<>();
        ConfigList certs = read.get(c, prefix, "certificates", where, "a list of { cert = ..., key = ... } objects", c::getList);
        if (certs != null) {
            for (int i = 0; i < certs.size(); i++) {
                ConfigValue v = certs.get(i);
                String cp = prefix + "certificates[" + i + "]";
                if (v.valueType() != ConfigValueType.OBJECT) {
                    read.problem(cp, ConfigReader.originString(v.origin(), "unknown"),
                            "expected { cert = ..., key = ... }, found " + ConfigReader.describe(v),
                            "write { cert = \"certs/web.pem\", key = \"certs/web.key\" }");
                    continue;
                }
                CertificateKeyPair pair = files.pair(((ConfigObject) v).toConfig(), cp + ".", v.origin());
                if (pair != null) {
                    pairs.add(pair);
                }
            }
            if (mode == Mode.TERMINATE && certs.isEmpty()) {
                read.problem(prefix + "certificates", ConfigReader.originOf(c, "certificates", where),
                        "a terminate listener needs at least one certificate",
                        "add tls.certificates = [ { cert = \"certs/web.pem\", key = \"certs/web.key\" } ], or use mode = passthrough");
            }
        }
        TlsPolicy policy = policies.resolve(c, prefix, where);
        Boolean requireSni = read.bool(c, prefix, "require-sni", where);
        List<String> alpn = alpn(c, prefix, where);
        ClientAuth clientAuth = read.enumValue(c, prefix, "client-auth", where, ClientAuth.class);
        Path clientCa = files.optionalPath(c, prefix, "client-ca", where);
        List<X509Certificate> clientCaCerts = clientCa == null ? List.of()
                : files.certificates(clientCa, prefix + "client-ca", ConfigReader.originOf(c, "client-ca", where), "client CA bundle");
        if (!c.hasPath("client-ca") && clientAuth != null && clientAuth != ClientAuth.NONE) {
            read.problem(prefix + "client-ca", ConfigReader.originOf(c, "client-auth", where),
                    "client-auth = " + clientAuth.name().toLowerCase(Locale.ROOT) + " needs client-ca: the CAs that issue client certificates",
                    "set client-ca = \"certs/clients-ca.pem\" (PEM bundle), or client-auth = none");
        }
        List<X509Certificate> clientTrust = files.trust(c, prefix, "client-trust", where);
        Boolean ocspStapling = read.bool(c, prefix, "ocsp-stapling", where);
        Boolean sessionResumption = read.bool(c, prefix, "session-resumption", where);
        if (read.count() > before) {
            return null;
        }
        return new FrontendTls(pairs, policy, requireSni, alpn, clientAuth, Optional.ofNullable(clientCa), clientCaCerts,
                clientTrust, ocspStapling, sessionResumption);
    }

    /**
     * @param c      a backend's {@code tls} block (a route's over its listener's backend)
     * @param prefix its key path, ending in {@code backend.tls.}
     * @param where  the origin of the enclosing listener or route
     * @param mode   the listener's mode: originate needs {@code enabled = true}
     */
    BackendTls backend(Config c, String prefix, ConfigOrigin where, Mode mode) {
        int before = read.count();
        Boolean enabled = read.bool(c, prefix, "enabled", where);
        if (enabled != null && !enabled && mode == Mode.ORIGINATE) {
            read.problem(prefix + "enabled", ConfigReader.originOf(c, "enabled", where),
                    "mode = originate makes TLS to the backend, but backend.tls.enabled = false",
                    "set backend.tls.enabled = true, or use mode = terminate for plain TCP to the backend");
        }
        Optional<Path> trustFile = Optional.empty();
        List<X509Certificate> trustCerts = files.trust(c, prefix, "trust", where);
        if (!trustCerts.isEmpty()) {
            trustFile = Optional.ofNullable(files.path(c.getString("trust"), prefix + "trust", ConfigReader.originOf(c, "trust", where)));
        }
        Optional<String> serverName = Optional.empty();
        if (c.hasPath("server-name")) {
            String s = read.string(c, prefix, "server-name", where);
            if (s != null) {
                String lower = s.toLowerCase(Locale.ROOT);
                if (!DNS_NAME.matcher(lower).matches() || lower.startsWith("*")) {
                    read.problem(prefix + "server-name", ConfigReader.originOf(c, "server-name", where),
                            "\"" + s + "\" is not a DNS host name", "set the backend's DNS name, e.g. \"backend.internal\"");
                } else {
                    serverName = Optional.of(lower);
                }
            }
        }
        Boolean verifyHostname = read.bool(c, prefix, "verify-hostname", where);
        Optional<CertificateKeyPair> certificate = Optional.empty();
        if (c.hasPath("certificate")) {
            Config cc = read.object(c, prefix, "certificate", where);
            if (cc != null) {
                certificate = Optional.ofNullable(files.pair(cc, prefix + "certificate.", cc.origin()));
            }
        }
        TlsPolicy policy = policies.resolve(c, prefix, where);
        List<String> alpn = alpn(c, prefix, where);
        List<X509CRL> crls = files.crls(c, prefix, "crl", where);
        Boolean ocsp = read.bool(c, prefix, "ocsp", where);
        if (read.count() > before) {
            return null;
        }
        return new BackendTls(enabled, trustFile, trustCerts, serverName, verifyHostname, certificate, policy, alpn, crls, ocsp);
    }

    /**
     * @return the {@code alpn} protocol IDs in the order written; empty when the key is absent (no ALPN) or
     *         after a problem (an ID must be 1 to 255 bytes, RFC 7301 §3.1)
     */
    private List<String> alpn(Config c, String prefix, ConfigOrigin where) {
        if (!c.hasPath("alpn")) {
            return List.of();
        }
        String fix = "list protocol IDs of 1 to 255 bytes, e.g. alpn = [\"h2\", \"http/1.1\"], or remove the key for no ALPN";
        List<ConfigReader.Item> items = read.strings(c, prefix, "alpn", where, "a list of protocol IDs", "a protocol ID", fix);
        if (items == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ConfigReader.Item item : items) {
            int bytes = item.text().getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0 || bytes > MAX_ALPN_BYTES) {
                read.problem(item.path(), item.origin(),
                        "an ALPN protocol ID must be 1 to 255 bytes, found " + bytes + " bytes", fix);
            } else {
                out.add(item.text());
            }
        }
        return out;
    }
}
