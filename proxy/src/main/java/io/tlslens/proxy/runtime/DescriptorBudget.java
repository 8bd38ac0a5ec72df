package io.tlslens.proxy.runtime;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tlslens.config.ListenerSettings;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.List;
import java.util.Optional;

/**
 * Compares what the listeners' {@code max-connections} may need in file descriptors with what this process may
 * open ({@code ulimit -n}). Every relayed connection holds two descriptors, the client's and the backend's; past the
 * limit, accepts and backend connects fail ({@code backend_unreachable}) while the listener still admits clients.
 */
final class DescriptorBudget {
    /** Descriptors the process holds besides connections: jars, epoll, the admin port, logs. */
    static final long RESERVE = 200;

    private DescriptorBudget() {
    }

    /**
     * @param listeners the configured listeners
     * @param limit     the descriptors this process may open, or a negative value when unknown
     * @return a warning naming both figures and the fix, when the listeners at their limits would need more
     */
    static Optional<String> check(List<ListenerSettings> listeners, long limit) {
        long connections = listeners.stream().mapToLong(ListenerSettings::maxConnections).sum();
        long needed = 2 * connections + RESERVE;
        if (limit < 0 || needed <= limit) {
            return Optional.empty();
        }
        return Optional.of(String.format("max-connections of all listeners (%,d) may need %,d file descriptors (two per"
                + " relayed connection), but this process may open %,d (ulimit -n): raise the limit (ulimit -n,"
                + " LimitNOFILE= under systemd, the container runtime's nofile) or lower max-connections; past it,"
                + " connections fail to be accepted or to reach the backend", connections, needed, limit));
    }

    /** @return the descriptors this process may open, or -1 when the platform does not say */
    static long processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
