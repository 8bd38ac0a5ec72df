package io.tlslens.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One listener: a bound address with one mode and its TLS settings.
 *
 * @param index            position in {@code tlslens.listeners}, from 0
 * @param name             metric label, {@code [a-zA-Z0-9_-]{1,64}}, unique
 * @param bind             the address to listen on
 * @param mode             terminate, passthrough or originate
 * @param handshakeTimeout time allowed for the TLS handshake(s), positive
 * @param idleTimeout      an established relay with no byte either way for this long is closed;
 *                         {@link Duration#ZERO} = never
 * @param maxConnections   open connections allowed at once, positive
 * @param proxyProtocol    whether every connection starts with a PROXY protocol v1 or v2 header (from a load balancer)
 * @param plaintextHttpAnswer answer plain HTTP sent to a TLS port with an HTTP 400 saying "use https://"
 * @param tls              frontend-leg TLS settings
 * @param backend          the default backend
 * @param routes           SNI routes, checked in order before the default backend
 * @param origin           "file:line" of the listener object, for later problems (e.g. port in use)
 */
public record ListenerSettings(int index, String name, HostPort bind, Mode mode, Duration handshakeTimeout,
                               Duration idleTimeout, int maxConnections, boolean proxyProtocol,
                               boolean plaintextHttpAnswer, FrontendTls tls, BackendSettings backend, List<Route> routes,
                               String origin) {
    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(backend, "backend");
        routes = List.copyOf(routes);
        Objects.requireNonNull(origin, "origin");
    }

    /**
     * @param sub a key below the listener, e.g. {@code bind} or {@code tls.certificates[0].cert}
     * @return the full key path, e.g. {@code tlslens.listeners[0].bind}
     */
    public String keyPath(String sub) {
        return "tlslens.listeners[" + index + "]." + sub;
    }
}
