package io.tlslens.config;

import java.util.List;
import java.util.Objects;

/**
 * An SNI route: ClientHellos whose {@code server_name} matches go to this backend instead of the listener's.
 *
 * @param serverNames lower-case DNS names; {@code *.example.com} matches exactly one extra label
 * @param backend     the backend, with unset keys inherited from the listener's {@code backend}
 */
public record Route(List<String> serverNames, BackendSettings backend) {
    public Route {
        serverNames = List.copyOf(serverNames);
        Objects.requireNonNull(backend, "backend");
    }
}
