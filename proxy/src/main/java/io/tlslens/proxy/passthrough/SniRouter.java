package io.tlslens.proxy.passthrough;

import io.tlslens.config.BackendSettings;
import io.tlslens.config.ListenerSettings;
import io.tlslens.config.Route;

import java.util.Locale;
import java.util.Optional;

/**
 * Chooses a passthrough connection's backend from the ClientHello's {@code server_name}: the first
 * route listing the name exactly or by a wildcard ({@code *.example.com} matches exactly one more
 * label on the left), else the listener's {@code backend}, else none ({@code backend.address = none}).
 */
final class SniRouter {
    private final ListenerSettings settings;

    /** @param settings the passthrough listener's settings */
    SniRouter(ListenerSettings settings) {
        this.settings = settings;
    }

    /**
     * @param serverName the SNI host name, or null when the client sent none
     * @return the backend to connect to, empty when the connection must be refused ({@code sni_unknown})
     */
    Optional<BackendSettings> route(String serverName) {
        if (serverName != null) {
            String name = serverName.toLowerCase(Locale.ROOT);
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            for (Route r : settings.routes()) {
                for (String pattern : r.serverNames()) {
                    if (matches(pattern, name)) {
                        return Optional.of(r.backend());
                    }
                }
            }
        }
        BackendSettings fallback = settings.backend();
        return fallback.none() ? Optional.empty() : Optional.of(fallback);
    }

    /** @return whether {@code name} (lower case) matches {@code pattern}: exact, or {@code *.} plus one label */
    static boolean matches(String pattern, String name) {
        if (!pattern.startsWith("*.")) {
            return pattern.equals(name);
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (!name.endsWith(suffix)) {
            return false;
        }
        String label = name.substring(0, name.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }
}
