package io.tlslens.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole validated configuration.
 *
 * @param admin        admin HTTP server settings
 * @param log          log format, level and failure-line rate
 * @param drainTimeout on graceful stop, how long to wait for open connections (zero or more)
 * @param reloadInterval how often certificate and key files are checked for changes; zero = never
 * @param listeners    the listeners, in file order; never empty
 * @param source       the configuration file; empty for the embedded default
 */
public record TlslensSettings(AdminSettings admin, LogSettings log, Duration drainTimeout, Duration reloadInterval,
                              List<ListenerSettings> listeners,
                              Optional<Path> source) {
    public TlslensSettings {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(source, "source");
    }
}
