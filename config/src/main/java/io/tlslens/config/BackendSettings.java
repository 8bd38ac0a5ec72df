package io.tlslens.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a listener connects to its backend.
 *
 * @param address        backend host and port (port 1..65535)
 * @param connectTimeout TCP connect timeout, positive
 * @param tls            backend-leg TLS settings ({@link BackendTls#enabled()} false = plain TCP)
 * @param proxyProtocol  the PROXY protocol header sent to the backend first, or {@link ProxyProtocol#NONE}
 */
public record BackendSettings(HostPort address, Duration connectTimeout, BackendTls tls, ProxyProtocol proxyProtocol) {
    public BackendSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }
}
