package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tlslens.inspector.policy.TlsPolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/** One validation run: reads a merged Config into settings records, collecting problems. */
final class Settings {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*\\.?");
    private static final String SYSTEM = "system";

    private final TlsCatalog catalog;
    private final Path baseDir;
    private final List<ConfigProblem> problems = new ArrayList<>();
    /** Loaded PEM files, so a file named by several listeners is read once. */
    private final Map<Path, List<X509Certificate>> certCache = new HashMap<>();
    /** Name and bind of every listener that has them, even when other keys of it are wrong. */
    private final List<Ident> idents = new ArrayList<>();

    private record Ident(int index, String name, String nameOrigin, HostPort bind, String bindOrigin, String origin) {
    }

    Settings(TlsCatalog catalog, Path baseDir) {
        this.catalog = catalog;
        this.baseDir = baseDir;
    }

    // ---------------------------------------------------------------- top level

    TlslensSettings build(Config user, Optional<Path> source) throws InvalidConfigException {
        Config root;
        try {
            root = user.withFallback(reference()).resolve();
        } catch (ConfigException e) {
            problems.add(new ConfigProblem("(substitution)", originString(e.origin(), "unknown"), stripOrigin(e),
                    "define the referenced key, or the environment variable for ${?VAR}"));
            throw new InvalidConfigException(problems);
        }
        Config t = object(root, "", "tlslens", root.origin());
        if (t == null) {
            throw new InvalidConfigException(problems);
        }
        ConfigOrigin top = t.origin();
        AdminSettings admin = null;
        Config a = object(t, "tlslens.", "admin", top);
        if (a != null) {
            HostPort bind = address(a, "tlslens.admin.", "bind", top, true);
            Boolean debug = bool(a, "tlslens.admin.", "debug-endpoints", top);
            if (bind != null && debug != null) {
                admin = new AdminSettings(bind, debug);
            }
        }
        Duration drain = duration(t, "tlslens.", "drain-timeout", top, true);
        Duration reloadInterval = duration(t, "tlslens.", "reload-interval", top, true);

        List<ListenerSettings> listeners = new ArrayList<>();
        Config defaults = object(t, "tlslens.", "listener-defaults", top);
        if (defaults != null) {
            KeySchema.check(defaults.root(), "tlslens.listener-defaults.", KeySchema.LISTENER, this::unknownKey);
        }
        ConfigList list = get(t, "tlslens.", "listeners", top, "a list of listener objects", t::getList);
        if (list != null && defaults != null) {
            if (list.isEmpty()) {
                problems.add(new ConfigProblem("tlslens.listeners", originString(list.origin(), "unknown"),
                        "no listeners configured",
                        "add one: tlslens.listeners = [ { name = web, bind = \"0.0.0.0:8443\", tls.certificates = [ { cert = ..., key = ... } ], backend.address = \"127.0.0.1:8080\" } ]"));
            }
            for (int i = 0; i < list.size(); i++) {
                ConfigValue v = list.get(i);
                String prefix = "tlslens.listeners[" + i + "].";
                if (v.valueType() != ConfigValueType.OBJECT) {
                    problems.add(new ConfigProblem("tlslens.listeners[" + i + "]", originString(v.origin(), "unknown"),
                            "expected a listener object, found " + describe(v),
                            "write the listener as { name = ..., bind = \"host:port\", ... }"));
                    continue;
                }
                KeySchema.check((ConfigObject) v, prefix, KeySchema.LISTENER, this::unknownKey);
                Config lc = ((ConfigObject) v).toConfig().withFallback(defaults);
                ListenerSettings ls = listener(i, lc, prefix, v.origin());
                if (ls != null) {
                    listeners.add(ls);
                }
            }
            checkUnique();
        }
        if (admin != null) {
            for (Ident l : idents) {
                if (l.bind() != null && conflicts(admin.bind(), l.bind())) {
                    problems.add(new ConfigProblem("tlslens.admin.bind", originOf(a, "bind", top),
                            "admin bind " + admin.bind() + " collides with tlslens.listeners[" + l.index() + "] bind " + l.bind()
                                    + " (" + l.origin() + ")",
                            "give the admin server its own port, e.g. \"127.0.0.1:9464\""));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new TlslensSettings(admin, drain, reloadInterval, listeners, source);
    }

    private void unknownKey(KeySchema.Unknown u) {
        problems.add(new ConfigProblem(u.path(), originString(u.value().origin(), "unknown"),
                "unknown key '" + u.path().substring(u.path().lastIndexOf('.') + 1) + "'",
                u.suggestion() != null ? "did you mean '" + u.suggestion() + "'?"
                        : "remove it; keys here: " + String.join(", ", u.known())));
    }

    private void checkUnique() {
        for (int j = 0; j < idents.size(); j++) {
            Ident b = idents.get(j);
            for (int i = 0; i < j; i++) {
                Ident a = idents.get(i);
                if (a.name() != null && a.name().equals(b.name())) {
                    problems.add(new ConfigProblem("tlslens.listeners[" + b.index() + "].name", b.nameOrigin(),
                            "duplicate listener name '" + b.name() + "' (also tlslens.listeners[" + a.index() + "] at " + a.origin() + ")",
                            "give each listener a unique name: it is the metric label `listener`"));
                }
                if (a.bind() != null && b.bind() != null && conflicts(a.bind(), b.bind())) {
                    problems.add(new ConfigProblem("tlslens.listeners[" + b.index() + "].bind", b.bindOrigin(),
                            "bind " + b.bind() + " collides with tlslens.listeners[" + a.index() + "] ('" + a.name() + "', bind "
                                    + a.bind() + " at " + a.origin() + ")",
                            "give each listener its own port, or distinct non-wildcard addresses"));
                }
            }
        }
    }

    /** Same port (not 0) and the same host, or either a wildcard. */
    private static boolean conflicts(HostPort a, HostPort b) {
        return a.port() == b.port() && a.port() != 0
                && (a.host().equals(b.host()) || a.isWildcard() || b.isWildcard());
    }

    // ---------------------------------------------------------------- listener

    private ListenerSettings listener(int index, Config c, String prefix, ConfigOrigin where) {
        int before = problems.size();
        String name = string(c, prefix, "name", where);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add(new ConfigProblem(prefix + "name", originOf(c, "name", where),
                    "invalid listener name \"" + name + "\"",
                    "use 1 to 64 letters, digits, '_' or '-': the name is the metric label `listener`"));
        }
        HostPort bind = address(c, prefix, "bind", where, true);
        idents.add(new Ident(index, name, originOf(c, "name", where), bind, originOf(c, "bind", where),
                originString(where, "unknown")));
        Mode mode = enumValue(c, prefix, "mode", where, Mode.class, "terminate, passthrough or originate");
        Duration handshakeTimeout = duration(c, prefix, "handshake-timeout", where, false);
        Integer maxConnections = get(c, prefix, "max-connections", where, "a positive whole number", c::getInt);
        if (maxConnections != null && maxConnections <= 0) {
            problems.add(new ConfigProblem(prefix + "max-connections", originOf(c, "max-connections", where),
                    "max-connections must be positive, found " + maxConnections, "set a positive limit, e.g. 10000"));
        }
        Boolean proxyProtocol = bool(c, prefix, "proxy-protocol", where);
        FrontendTls tls = null;
        Config t = object(c, prefix, "tls", where);
        if (t != null) {
            tls = frontend(t, prefix + "tls.", where, mode);
        }
        BackendSettings backend = null;
        Config b = object(c, prefix, "backend", where);
        if (b != null) {
            backend = backend(b, prefix + "backend.", where, mode);
        }
        List<Route> routes = routes(c, prefix, where, b, mode);
        if (problems.size() > before || routes == null) {
            return null;
        }
        return new ListenerSettings(index, name, bind, mode, handshakeTimeout, maxConnections, proxyProtocol, tls, backend, routes,
                originString(where, "unknown"));
    }

    private List<Route> routes(Config c, String prefix, ConfigOrigin where, Config listenerBackend, Mode mode) {
        ConfigList list = get(c, prefix, "routes", where, "a list of route objects", c::getList);
        if (list == null) {
            return null;
        }
        List<Route> routes = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            String rp = prefix + "routes[" + i + "].";
            ConfigOrigin rw = v.origin();
            if (v.valueType() != ConfigValueType.OBJECT) {
                problems.add(new ConfigProblem(prefix + "routes[" + i + "]", originString(rw, "unknown"),
                        "expected a route object, found " + describe(v),
                        "write { server-names = [\"api.example.com\"], backend { address = \"host:port\" } }"));
                ok = false;
                continue;
            }
            Config rc = ((ConfigObject) v).toConfig();
            List<String> names = get(rc, rp, "server-names", rw, "a list of DNS names", rc::getStringList);
            List<String> clean = new ArrayList<>();
            if (names != null) {
                if (names.isEmpty()) {
                    problems.add(new ConfigProblem(rp + "server-names", originOf(rc, "server-names", rw),
                            "a route needs at least one server name", "list the SNI names, e.g. [\"api.example.com\", \"*.api.example.com\"]"));
                    ok = false;
                }
                for (String n : names) {
                    String lower = n.toLowerCase(Locale.ROOT);
                    if (!DNS_NAME.matcher(lower).matches() || lower.length() > 253) {
                        problems.add(new ConfigProblem(rp + "server-names", originOf(rc, "server-names", rw),
                                "\"" + n + "\" is not a DNS name or a wildcard like *.example.com",
                                "use a host name; a wildcard '*.' may only be the first label"));
                        ok = false;
                    } else if (!seen.add(lower)) {
                        problems.add(new ConfigProblem(rp + "server-names", originOf(rc, "server-names", rw),
                                "server name \"" + n + "\" is already routed by an earlier route",
                                "remove one of the two; the first matching route wins"));
                        ok = false;
                    } else {
                        clean.add(lower);
                    }
                }
            } else {
                ok = false;
            }
            Config rb = object(rc, rp, "backend", rw);
            BackendSettings backend = null;
            if (rb != null && listenerBackend != null) {
                backend = backend(rb.withFallback(listenerBackend), rp + "backend.", rw, mode);
            }
            if (backend == null || names == null) {
                ok = false;
                continue;
            }
            routes.add(new Route(clean, backend));
        }
        return ok ? routes : null;
    }

    // ---------------------------------------------------------------- frontend

    private FrontendTls frontend(Config c, String prefix, ConfigOrigin where, Mode mode) {
        int before = problems.size();
        List<CertificateKeyPair> pairs = new ArrayList<>();
        ConfigList certs = get(c, prefix, "certificates", where, "a list of { cert = ..., key = ... } objects", c::getList);
        if (certs != null) {
            for (int i = 0; i < certs.size(); i++) {
                ConfigValue v = certs.get(i);
                String cp = prefix + "certificates[" + i + "]";
                if (v.valueType() != ConfigValueType.OBJECT) {
                    problems.add(new ConfigProblem(cp, originString(v.origin(), "unknown"),
                            "expected { cert = ..., key = ... }, found " + describe(v),
                            "write { cert = \"certs/web.pem\", key = \"certs/web.key\" }"));
                    continue;
                }
                CertificateKeyPair pair = pair(((ConfigObject) v).toConfig(), cp + ".", v.origin());
                if (pair != null) {
                    pairs.add(pair);
                }
            }
            if (mode == Mode.TERMINATE && certs.isEmpty()) {
                problems.add(new ConfigProblem(prefix + "certificates", originOf(c, "certificates", where),
                        "a terminate listener needs at least one certificate",
                        "add tls.certificates = [ { cert = \"certs/web.pem\", key = \"certs/web.key\" } ], or use mode = passthrough"));
            }
        }
        TlsPolicy policy = policy(c, prefix, where);
        Boolean requireSni = bool(c, prefix, "require-sni", where);
        ClientAuth clientAuth = enumValue(c, prefix, "client-auth", where, ClientAuth.class, "none, optional or require");
        Optional<Path> clientCa = Optional.empty();
        List<X509Certificate> clientCaCerts = List.of();
        if (c.hasPath("client-ca")) {
            String s = string(c, prefix, "client-ca", where);
            Path p = s == null ? null : path(s, prefix + "client-ca", originOf(c, "client-ca", where));
            if (p != null) {
                clientCa = Optional.of(p);
                clientCaCerts = certificates(p, prefix + "client-ca", originOf(c, "client-ca", where), "client CA bundle");
            }
        } else if (clientAuth != null && clientAuth != ClientAuth.NONE) {
            problems.add(new ConfigProblem(prefix + "client-ca", originOf(c, "client-auth", where),
                    "client-auth = " + clientAuth.name().toLowerCase(Locale.ROOT) + " needs client-ca: the CAs that issue client certificates",
                    "set client-ca = \"certs/clients-ca.pem\" (PEM bundle), or client-auth = none"));
        }
        List<X509Certificate> clientTrust = trust(c, prefix, "client-trust", where);
        Boolean ocspStapling = bool(c, prefix, "ocsp-stapling", where);
        if (problems.size() > before) {
            return null;
        }
        return new FrontendTls(pairs, policy, requireSni, clientAuth, clientCa, clientCaCerts, clientTrust, ocspStapling);
    }

    // ---------------------------------------------------------------- backend

    private BackendSettings backend(Config c, String prefix, ConfigOrigin where, Mode mode) {
        int before = problems.size();
        HostPort address;
        if (c.hasPath("address") && "none".equalsIgnoreCase(String.valueOf(c.getValue("address").unwrapped()).trim())) {
            // passthrough: no default backend; an SNI no route matches is refused (sni_unknown)
            address = BackendSettings.NONE;
            boolean route = prefix.contains(".routes[");
            if (mode != Mode.PASSTHROUGH || route) {
                problems.add(new ConfigProblem(prefix + "address", originOf(c, "address", where),
                        route ? "a route needs its own backend address, found none"
                                : "backend.address = none is only allowed with mode = passthrough",
                        route ? "set backend { address = \"host:port\" } in the route"
                                : "write \"host:port\", e.g. \"127.0.0.1:8080\""));
            }
        } else {
            address = address(c, prefix, "address", where, false);
        }
        Duration connectTimeout = duration(c, prefix, "connect-timeout", where, false);
        ProxyProtocol proxyProtocol = enumValue(c, prefix, "proxy-protocol", where, ProxyProtocol.class, "none, v1 or v2");
        BackendTls tls = null;
        Config t = object(c, prefix, "tls", where);
        if (t != null) {
            tls = backendTls(t, prefix + "tls.", where, mode);
        }
        if (problems.size() > before) {
            return null;
        }
        return new BackendSettings(address, connectTimeout, tls, proxyProtocol);
    }

    private BackendTls backendTls(Config c, String prefix, ConfigOrigin where, Mode mode) {
        int before = problems.size();
        Boolean enabled = bool(c, prefix, "enabled", where);
        if (enabled != null && !enabled && mode == Mode.ORIGINATE) {
            problems.add(new ConfigProblem(prefix + "enabled", originOf(c, "enabled", where),
                    "mode = originate makes TLS to the backend, but backend.tls.enabled = false",
                    "set backend.tls.enabled = true, or use mode = terminate for plain TCP to the backend"));
        }
        Optional<Path> trustFile = Optional.empty();
        List<X509Certificate> trustCerts = trust(c, prefix, "trust", where);
        if (!trustCerts.isEmpty()) {
            trustFile = Optional.ofNullable(path(c.getString("trust"), prefix + "trust", originOf(c, "trust", where)));
        }
        Optional<String> serverName = Optional.empty();
        if (c.hasPath("server-name")) {
            String s = string(c, prefix, "server-name", where);
            if (s != null) {
                String lower = s.toLowerCase(Locale.ROOT);
                if (!DNS_NAME.matcher(lower).matches() || lower.startsWith("*")) {
                    problems.add(new ConfigProblem(prefix + "server-name", originOf(c, "server-name", where),
                            "\"" + s + "\" is not a DNS host name", "set the backend's DNS name, e.g. \"backend.internal\""));
                } else {
                    serverName = Optional.of(lower);
                }
            }
        }
        Boolean verifyHostname = bool(c, prefix, "verify-hostname", where);
        Optional<CertificateKeyPair> certificate = Optional.empty();
        if (c.hasPath("certificate")) {
            Config cc = object(c, prefix, "certificate", where);
            if (cc != null) {
                certificate = Optional.ofNullable(pair(cc, prefix + "certificate.", cc.origin()));
            }
        }
        TlsPolicy policy = policy(c, prefix, where);
        List<X509CRL> crls = List.of();
        if (c.hasPath("crl")) {
            String text = string(c, prefix, "crl", where);
            String origin = originOf(c, "crl", where);
            Path file = text == null ? null : path(text, prefix + "crl", origin);
            if (file != null) {
                crls = crls(file, prefix + "crl", origin);
            }
        }
        Boolean ocsp = bool(c, prefix, "ocsp", where);
        if (problems.size() > before) {
            return null;
        }
        return new BackendTls(enabled, trustFile, trustCerts, serverName, verifyHostname, certificate, policy, crls, ocsp);
    }

    // ---------------------------------------------------------------- policy

    private TlsPolicy policy(Config c, String prefix, ConfigOrigin where) {
        int before = problems.size();
        String name = string(c, prefix, "policy", where);
        TlsPolicy base = null;
        if (name != null) {
            base = catalog.policy(name).orElse(null);
            if (base == null) {
                problems.add(new ConfigProblem(prefix + "policy", originOf(c, "policy", where),
                        "unknown policy \"" + name + "\"",
                        "use one of: " + String.join(", ", new TreeSet<>(catalog.policyNames()))));
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
        if (problems.size() > before || base == null) {
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
        String origin = originOf(c, versions != null ? "protocols" : "cipher-suites", where);
        boolean any13 = effective.versions().stream().anyMatch(v -> v >= 0x0304);
        boolean any12 = effective.versions().stream().anyMatch(v -> v < 0x0304);
        if (any13 && effective.tls13CipherSuites().isEmpty()) {
            problems.add(new ConfigProblem(prefix + "protocols", origin,
                    "TLSv1.3 is enabled but policy " + base.name() + " has no TLS 1.3 cipher suites",
                    "add TLS 1.3 suites to cipher-suites (e.g. TLS_AES_128_GCM_SHA256), or remove TLSv1.3 from protocols"));
            return null;
        }
        if (any12 && effective.cipherSuites().isEmpty()) {
            problems.add(new ConfigProblem(prefix + "protocols", origin,
                    "TLS 1.2 or older is enabled but policy " + base.name() + " has no TLS <= 1.2 cipher suites",
                    "add TLS <= 1.2 suites to cipher-suites (e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), choose policy = intermediate, or use protocols = [\"TLSv1.3\"]"));
            return null;
        }
        return effective;
    }

    /** TLS 1.3 cipher suites (RFC 8446 B.4): 0x1301..0x1305. */
    static boolean isTls13Suite(int code) {
        return code >= 0x1301 && code <= 0x1305;
    }

    private List<Integer> codes(Config c, String prefix, String key, ConfigOrigin where,
                                Function<String, OptionalInt> lookup, Function<String, String> unknown, String fix) {
        ConfigList list = get(c, prefix, key, where, "a list of names", c::getList);
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            problems.add(new ConfigProblem(prefix + key, originOf(c, key, where), key + " is empty",
                    "name at least one, or remove the key to keep the policy's list"));
            return null;
        }
        List<Integer> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            String path = prefix + key + "[" + i + "]";
            if (v.valueType() != ConfigValueType.STRING) {
                problems.add(new ConfigProblem(path, originString(v.origin(), "unknown"),
                        "expected a name, found " + describe(v), fix));
                ok = false;
                continue;
            }
            String n = ((String) v.unwrapped()).trim();
            OptionalInt code = lookup.apply(n);
            if (code.isEmpty()) {
                problems.add(new ConfigProblem(path, originString(v.origin(), "unknown"), unknown.apply(n), fix));
                ok = false;
            } else {
                out.add(code.getAsInt());
            }
        }
        return ok ? out : null;
    }

    // ---------------------------------------------------------------- files

    /** {@code system} → empty list; otherwise a PEM bundle path, loaded. */
    private List<X509Certificate> trust(Config c, String prefix, String key, ConfigOrigin where) {
        String s = string(c, prefix, key, where);
        if (s == null || s.equals(SYSTEM)) {
            return List.of();
        }
        Path p = path(s, prefix + key, originOf(c, key, where));
        if (p == null) {
            return List.of();
        }
        return certificates(p, prefix + key, originOf(c, key, where), "trust bundle");
    }

    private CertificateKeyPair pair(Config c, String prefix, ConfigOrigin where) {
        String certText = string(c, prefix, "cert", where);
        String keyText = string(c, prefix, "key", where);
        String certOrigin = originOf(c, "cert", where);
        String keyOrigin = originOf(c, "key", where);
        Path certFile = certText == null ? null : path(certText, prefix + "cert", certOrigin);
        Path keyFile = keyText == null ? null : path(keyText, prefix + "key", keyOrigin);
        List<X509Certificate> chain = certFile == null ? List.of()
                : certificates(certFile, prefix + "cert", certOrigin, "certificate");
        PrivateKey key = keyFile == null ? null
                : CertificateFiles.privateKey(keyFile, prefix + "key", keyOrigin, baseDir, problems::add);
        return CertificateFiles.pair(certFile, chain, keyFile, key, prefix + "key", keyOrigin, problems::add);
    }

    /** @return the certificates of a PEM file, or an empty list after recording a problem */
    private List<X509Certificate> certificates(Path file, String path, String origin, String what) {
        List<X509Certificate> cached = certCache.get(file);
        if (cached != null) {
            return cached;
        }
        List<X509Certificate> certs = CertificateFiles.certificates(file, path, origin, what, baseDir, problems::add);
        if (!certs.isEmpty()) {
            certCache.put(file, certs);
        }
        return certs;
    }

    private List<X509CRL> crls(Path file, String path, String origin) {
        String why = !Files.exists(file) ? "no such file" : Files.isDirectory(file) ? "is a directory"
                : !Files.isReadable(file) ? "not readable by this user" : null;
        if (why != null) {
            problems.add(new ConfigProblem(path, origin, "cannot read CRL file " + file + ": " + why,
                    "check the path; relative paths resolve against " + baseDir));
            return List.of();
        }
        try (var in = Files.newInputStream(file)) {
            List<X509CRL> out = new ArrayList<>();
            for (java.security.cert.CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                out.add((X509CRL) crl);
            }
            if (out.isEmpty()) {
                throw new java.security.cert.CRLException("no CRL found");
            }
            return out;
        } catch (IOException | java.security.GeneralSecurityException e) {
            problems.add(new ConfigProblem(path, origin, "cannot read CRL file " + file + ": " + e.getMessage(),
                    "the file must hold X.509 CRLs in PEM (BEGIN X509 CRL) or DER; check with `openssl crl -noout -text -in FILE`"));
            return List.of();
        }
    }

    private Path path(String text, String path, String origin) {
        try {
            if (text.isBlank()) {
                throw new InvalidPathException(text, "empty path");
            }
            Path p = Path.of(text);
            return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            problems.add(new ConfigProblem(path, origin, "invalid file path \"" + text + "\": " + e.getReason(),
                    "give a file path; relative paths resolve against " + baseDir));
            return null;
        }
    }

    // ---------------------------------------------------------------- typed values

    private HostPort address(Config c, String prefix, String key, ConfigOrigin where, boolean bind) {
        String s = string(c, prefix, key, where);
        if (s == null) {
            return null;
        }
        try {
            HostPort hp = HostPort.parse(s);
            if (!bind && hp.port() == 0) {
                throw new IllegalArgumentException("\"" + s + "\": port 0 cannot be connected to");
            }
            return hp;
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(prefix + key, originOf(c, key, where), "malformed address: " + e.getMessage(),
                    bind ? "write \"host:port\", e.g. \"0.0.0.0:8443\" or \"[::]:8443\""
                            : "write \"host:port\" with a port in 1..65535, e.g. \"127.0.0.1:8080\""));
            return null;
        }
    }

    private <E extends Enum<E>> E enumValue(Config c, String prefix, String key, ConfigOrigin where, Class<E> type, String choices) {
        String s = string(c, prefix, key, where);
        if (s == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(prefix + key, originOf(c, key, where), "unknown " + key + " \"" + s + "\"",
                    "use " + choices));
            return null;
        }
    }

    private Duration duration(Config c, String prefix, String key, ConfigOrigin where, boolean zeroAllowed) {
        Duration d = get(c, prefix, key, where, "a duration such as 10s or 500ms", c::getDuration);
        if (d != null && (d.isNegative() || (!zeroAllowed && d.isZero()))) {
            problems.add(new ConfigProblem(prefix + key, originOf(c, key, where),
                    key + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", found " + d,
                    "set a duration such as 10s"));
            return null;
        }
        return d;
    }

    private Boolean bool(Config c, String prefix, String key, ConfigOrigin where) {
        return get(c, prefix, key, where, "true or false", c::getBoolean);
    }

    private String string(Config c, String prefix, String key, ConfigOrigin where) {
        return get(c, prefix, key, where, "a string", c::getString);
    }

    private Config object(Config c, String prefix, String key, ConfigOrigin where) {
        return get(c, prefix, key, where, "an object { ... }", c::getConfig);
    }

    /** Reads one value, turning Typesafe's exceptions into problems; null after a problem. */
    private <T> T get(Config c, String prefix, String key, ConfigOrigin where, String expected, Function<String, T> getter) {
        try {
            return getter.apply(key);
        } catch (ConfigException.Missing e) {
            problems.add(new ConfigProblem(prefix + key, originString(where, "unknown"), "missing required key " + key,
                    "set " + prefix + key + " (" + expected + ")"));
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            ConfigValue v = c.hasPathOrNull(key) && !c.getIsNull(key) ? c.getValue(key) : null;
            String found = v != null ? describe(v) : stripOrigin(e);
            String origin = originString(e.origin() != null ? e.origin() : where, "unknown");
            problems.add(new ConfigProblem(prefix + key, origin, "expected " + expected + ", found " + found,
                    "set " + prefix + key + " to " + expected));
        } catch (ConfigException e) {
            problems.add(new ConfigProblem(prefix + key, originString(e.origin() != null ? e.origin() : where, "unknown"),
                    stripOrigin(e), "set " + prefix + key + " to " + expected));
        }
        return null;
    }

    // ---------------------------------------------------------------- origins

    private static String originOf(Config c, String key, ConfigOrigin fallback) {
        return originOf(c, key, originString(fallback, "unknown"));
    }

    private static String originOf(Config c, String key, String fallback) {
        try {
            if (c.hasPath(key)) {
                ConfigOrigin o = c.getValue(key).origin();
                // a default from reference.conf: point at the user's enclosing object instead
                return o.resource() != null ? fallback : originString(o, fallback);
            }
        } catch (ConfigException e) {
            // fall through
        }
        return fallback;
    }

    /** @return {@code file:line} (or {@code resource:line}, or the description) of an origin */
    static String originString(ConfigOrigin o, String fallback) {
        if (o == null) {
            return fallback;
        }
        String name = o.resource() != null ? o.resource() : o.filename();
        if (name != null) {
            return o.lineNumber() > 0 ? name + ":" + o.lineNumber() : name;
        }
        String d = o.description();
        return d == null || d.isEmpty() ? fallback : d.replaceFirst(": (\\d+)$", ":$1");
    }

    /** Typesafe prefixes messages with the origin description; drop it since the origin is shown apart. */
    static String stripOrigin(ConfigException e) {
        String m = e.getMessage();
        if (e.origin() != null && m != null) {
            String prefix = e.origin().description() + ": ";
            if (m.startsWith(prefix)) {
                return m.substring(prefix.length());
            }
        }
        return m;
    }

    private static String describe(ConfigValue v) {
        String rendered = v.render(ConfigRenderOptions.concise());
        if (rendered.length() > 60) {
            rendered = rendered.substring(0, 57) + "...";
        }
        return v.valueType().name().toLowerCase(Locale.ROOT) + " " + rendered;
    }

    private static Config reference() {
        return ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf");
    }
}
