package io.tlslens.config;

import java.util.Objects;

/**
 * The admin HTTP server ({@code /metrics}, {@code /healthz}, {@code /readyz}, {@code /debug/...}).
 *
 * @param bind           the address to listen on
 * @param debugEndpoints whether the {@code /debug/...} endpoints are served
 */
public record AdminSettings(HostPort bind, boolean debugEndpoints) {
    public AdminSettings {
        Objects.requireNonNull(bind, "bind");
    }
}
