package io.tlslens.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a listener connects to its backend.
 *
 * @param address        backend host and port (port 1..65535)
 * @param connectTimeout TCP connect timeout, positive
 * @param tls            backend-leg TLS settings ({@link BackendTls#enabled()} false = plain TCP)
 */
public record BackendSettings(HostPort address, Duration connectTimeout, BackendTls tls) {
    public BackendSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tls, "tls");
    }
}
