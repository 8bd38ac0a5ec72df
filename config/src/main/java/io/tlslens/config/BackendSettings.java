package io.tlslens.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a listener connects to its backend.
 *
 * @param address        backend host and port (port 1..65535), or {@link #NONE} for a passthrough listener
 *                       written with {@code backend.address = none}: no default backend, unrouted SNI is refused
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

    /** The address of {@code backend.address = none} (passthrough only): there is no default backend. */
    public static final HostPort NONE = new HostPort("none", 0);

    /** @return true when this is {@code backend.address = none}: connections that no route matches are refused */
    public boolean none() {
        return NONE.equals(address);
    }
}
