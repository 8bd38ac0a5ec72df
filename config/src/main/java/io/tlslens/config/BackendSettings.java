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
 */
public record BackendSettings(HostPort address, Duration connectTimeout, BackendTls tls) {
    public BackendSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tls, "tls");
    }

    /** The address of {@code backend.address = none} (passthrough only): there is no default backend. */
    public static final HostPort NONE = new HostPort("none", 0);

    /** @return true when this is {@code backend.address = none}: connections that no route matches are refused */
    public boolean none() {
        return NONE.equals(address);
    }
}
