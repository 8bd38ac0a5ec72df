package io.tlslens.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks {@code tlslens.listeners}: each entry over {@code tlslens.listener-defaults} into a
 * {@link ListenerSettings} with its backend and SNI routes, then checks that names and binds are unique.
 */
final class ListenerWalk {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private final ConfigReader read;
    private final TlsBlocks tls;
    /** Name and bind of every listener that has them, even when other keys of it are wrong. */
    private final List<Ident> idents = new ArrayList<>();

    private record Ident(int index, String name, String nameOrigin, HostPort bind, String bindOrigin, String origin) {
    }

    ListenerWalk(ConfigReader read, TlsBlocks tls) {
        this.read = read;
        this.tls = tls;
    }

    /**
     * @param t   the {@code tlslens} block
     * @param top its origin
     * @return the listeners without a problem, in file order
     */
    List<ListenerSettings> walk(Config t, ConfigOrigin top) {
        List<ListenerSettings> listeners = new ArrayList<>();
        Config defaults = read.object(t, "tlslens.", "listener-defaults", top);
        ConfigList list = read.get(t, "tlslens.", "listeners", top, "a list of listener objects", t::getList);
        if (list == null || defaults == null) {
            return listeners;
        }
        if (list.isEmpty()) {
            read.problem("tlslens.listeners", ConfigReader.originString(list.origin(), "unknown"),
                    "no listeners configured",
                    "add one: tlslens.listeners = [ { name = web, bind = \"0.0.0.0:8443\", tls.certificates = [ { cert = ..., key = ... } ], backend.address = \"127.0.0.1:8080\" } ]");
        }
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            if (v.valueType() != ConfigValueType.OBJECT) {
                read.problem("tlslens.listeners[" + i + "]", ConfigReader.originString(v.origin(), "unknown"),
                        "expected a listener object, found " + ConfigReader.describe(v),
                        "write the listener as { name = ..., bind = \"host:port\", ... }");
                continue;
            }
            String prefix = "tlslens.listeners[" + i + "].";
            Config lc = ((ConfigObject) v).toConfig().withFallback(defaults);
            ListenerSettings ls = listener(i, lc, prefix, v.origin());
            if (ls != null) {
                listeners.add(ls);
            }
        }
        checkUnique();
        return listeners;
    }

    /** Records a problem for each listener whose bind collides with the admin server's. */
    void checkAdminBind(HostPort admin, String adminOrigin) {
        for (Ident l : idents) {
            if (l.bind() != null && conflicts(admin, l.bind())) {
                read.problem("tlslens.admin.bind", adminOrigin,
                        "admin bind " + admin + " collides with tlslens.listeners[" + l.index() + "] bind " + l.bind()
                                + " (" + l.origin() + ")",
                        "give the admin server its own port, e.g. \"127.0.0.1:9464\"");
            }
        }
    }

    private void checkUnique() {
        for (int j = 0; j < idents.size(); j++) {
            Ident b = idents.get(j);
            for (int i = 0; i < j; i++) {
                Ident a = idents.get(i);
                if (a.name() != null && a.name().equals(b.name())) {
                    read.problem("tlslens.listeners[" + b.index() + "].name", b.nameOrigin(),
                            "duplicate listener name '" + b.name() + "' (also tlslens.listeners[" + a.index() + "] at " + a.origin() + ")",
                            "give each listener a unique name: it is the metric label `listener`");
                }
                if (a.bind() != null && b.bind() != null && conflicts(a.bind(), b.bind())) {
                    read.problem("tlslens.listeners[" + b.index() + "].bind", b.bindOrigin(),
                            "bind " + b.bind() + " collides with tlslens.listeners[" + a.index() + "] ('" + a.name() + "', bind "
                                    + a.bind() + " at " + a.origin() + ")",
                            "give each listener its own port, or distinct non-wildcard addresses");
                }
            }
        }
    }

    /** Same port (not 0) and the same host, or either a wildcard. */
    private static boolean conflicts(HostPort a, HostPort b) {
        return a.port() == b.port() && a.port() != 0
                && (a.host().equals(b.host()) || a.isWildcard() || b.isWildcard());
    }

    private ListenerSettings listener(int index, Config c, String prefix, ConfigOrigin where) {
        int before = read.count();
        String name = read.string(c, prefix, "name", where);
        if (name != null && !NAME.matcher(name).matches()) {
            read.problem(prefix + "name", ConfigReader.originOf(c, "name", where),
                    "invalid listener name \"" + name + "\"",
                    "use 1 to 64 letters, digits, '_' or '-': the name is the metric label `listener`");
        }
        HostPort bind = read.address(c, prefix, "bind", where, true);
        idents.add(new Ident(index, name, ConfigReader.originOf(c, "name", where), bind, ConfigReader.originOf(c, "bind", where),
                ConfigReader.originString(where, "unknown")));
        Mode mode = read.enumValue(c, prefix, "mode", where, Mode.class);
        Duration handshakeTimeout = read.duration(c, prefix, "handshake-timeout", where, false);
        Duration idleTimeout = read.duration(c, prefix, "idle-timeout", where, true);
        Integer maxConnections = read.positiveInt(c, prefix, "max-connections", where, "set a positive limit, e.g. 10000");
        Boolean proxyProtocol = read.bool(c, prefix, "proxy-protocol", where);
        Boolean plaintextHttpAnswer = read.bool(c, prefix, "plaintext-http-answer", where);
        FrontendTls frontend = null;
        Config t = read.object(c, prefix, "tls", where);
        if (t != null) {
            frontend = tls.frontend(t, prefix + "tls.", where, mode);
        }
        BackendSettings backend = null;
        Config b = read.object(c, prefix, "backend", where);
        if (b != null) {
            boolean routed = c.hasPath("routes") && c.getValue("routes") instanceof ConfigList r && !r.isEmpty();
            backend = backend(b, prefix + "backend.", where, mode, routed);
        }
        List<Route> routes = routes(c, prefix, where, b, mode);
        if (read.count() > before || routes == null) {
            return null;
        }
        return new ListenerSettings(index, name, bind, mode, handshakeTimeout, idleTimeout, maxConnections, proxyProtocol,
                plaintextHttpAnswer, frontend, backend, routes, ConfigReader.originString(where, "unknown"));
    }

    private List<Route> routes(Config c, String prefix, ConfigOrigin where, Config listenerBackend, Mode mode) {
        ConfigList list = read.get(c, prefix, "routes", where, "a list of route objects", c::getList);
        if (list == null) {
            return null;
        }
        int before = read.count();
        List<Route> routes = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            String rp = prefix + "routes[" + i + "].";
            ConfigOrigin rw = v.origin();
            if (v.valueType() != ConfigValueType.OBJECT) {
                read.problem(prefix + "routes[" + i + "]", ConfigReader.originString(rw, "unknown"),
                        "expected a route object, found " + ConfigReader.describe(v),
                        "write { server-names = [\"api.example.com\"], backend { address = \"host:port\" } }");
                continue;
            }
            Config rc = ((ConfigObject) v).toConfig();
            List<String> names = serverNames(rc, rp, rw, seen);
            Config rb = read.object(rc, rp, "backend", rw);
            BackendSettings backend = null;
            if (rb != null && listenerBackend != null) {
                backend = backend(rb.withFallback(listenerBackend), rp + "backend.", rw, mode, false);
            }
            if (backend != null && names != null) {
                routes.add(new Route(names, backend));
            }
        }
        return read.count() > before ? null : routes;
    }

    /** @return the route's names in lower case, each new in {@code seen}; null after a problem */
    private List<String> serverNames(Config rc, String rp, ConfigOrigin rw, Set<String> seen) {
        List<String> names = read.get(rc, rp, "server-names", rw, "a list of DNS names", rc::getStringList);
        if (names == null) {
            return null;
        }
        int before = read.count();
        String origin = ConfigReader.originOf(rc, "server-names", rw);
        if (names.isEmpty()) {
            read.problem(rp + "server-names", origin,
                    "a route needs at least one server name", "list the SNI names, e.g. [\"api.example.com\", \"*.api.example.com\"]");
        }
        List<String> clean = new ArrayList<>();
        for (String n : names) {
            String lower = n.toLowerCase(Locale.ROOT);
            if (!TlsBlocks.DNS_NAME.matcher(lower).matches() || lower.length() > 253) {
                read.problem(rp + "server-names", origin,
                        "\"" + n + "\" is not a DNS name or a wildcard like *.example.com",
                        "use a host name; a wildcard '*.' may only be the first label");
            } else if (!seen.add(lower)) {
                read.problem(rp + "server-names", origin,
                        "server name \"" + n + "\" is already routed by an earlier route",
                        "remove one of the two; the first matching route wins");
            } else {
                clean.add(lower);
            }
        }
        return read.count() > before ? null : clean;
    }

    /**
     * @param routed true for the backend of a listener with routes: in passthrough, a missing address
     *               then names {@code address = none} as the way to refuse unrouted names
     */
    private BackendSettings backend(Config c, String prefix, ConfigOrigin where, Mode mode, boolean routed) {
        int before = read.count();
        HostPort address;
        if (c.hasPath("address") && "none".equalsIgnoreCase(String.valueOf(c.getValue("address").unwrapped()).trim())) {
            // passthrough: no default backend; an SNI no route matches is refused (sni_unknown)
            address = BackendSettings.NONE;
            boolean route = prefix.contains(".routes[");
            if (mode != Mode.PASSTHROUGH || route) {
                read.problem(prefix + "address", ConfigReader.originOf(c, "address", where),
                        route ? "a route needs its own backend address, found none"
                                : "backend.address = none is only allowed with mode = passthrough",
                        route ? "set backend { address = \"host:port\" } in the route"
                                : "write \"host:port\", e.g. \"127.0.0.1:8080\"");
            }
        } else if (routed && mode == Mode.PASSTHROUGH && !c.hasPath("address")) {
            address = null;
            read.problem(prefix + "address", ConfigReader.originString(where, "unknown"),
                    "missing required key address: the server names no route matches need a backend, or none",
                    "set backend { address = \"host:port\" } for them, or backend { address = none } to refuse them (sni_unknown)");
        } else {
            address = read.address(c, prefix, "address", where, false);
        }
        Duration connectTimeout = read.duration(c, prefix, "connect-timeout", where, false);
        ProxyProtocol proxyProtocol = read.enumValue(c, prefix, "proxy-protocol", where, ProxyProtocol.class);
        BackendTls backendTls = null;
        Config t = read.object(c, prefix, "tls", where);
        if (t != null) {
            backendTls = tls.backend(t, prefix + "tls.", where, mode);
        }
        if (read.count() > before) {
            return null;
        }
        return new BackendSettings(address, connectTimeout, backendTls, proxyProtocol);
    }
}
