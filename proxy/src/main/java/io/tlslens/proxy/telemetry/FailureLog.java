package io.tlslens.proxy.telemetry;

import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one JSON line per failed handshake (DESIGN.md "Log contract") through SLF4J and the
 * logstash encoder, rate-limited per cause; keeps the last 100 events for {@code /debug/handshakes}.
 * Suppressed lines are reported on the next line of the same cause ({@code suppressed_before}) and
 * by {@link #reportSuppressed()} in a {@code tls_handshake_failures_suppressed} line.
 */
public final class FailureLog {
    /** Logger name of the failure lines. */
    public static final String LOGGER = "tlslens.handshake";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final LogRateLimiter limiter;
    private final RecentFailures recent = new RecentFailures(100);

    /** @param perCausePerSecond failure lines allowed per cause per second */
    public FailureLog(int perCausePerSecond) {
        this.limiter = new LogRateLimiter(perCausePerSecond, System::nanoTime);
    }

    /**
     * @param event the failure event fields, in contract order; must hold {@code cause} and {@code summary}
     * @param error an internal exception to log with its stack trace, or null
     */
    public void log(Map<String, Object> event, Throwable error) {
        recent.add(event);
        String cause = String.valueOf(event.get("cause"));
        long suppressed = limiter.tryAcquire(cause);
        if (suppressed < 0) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "tls_handshake_failure");
        line.putAll(event);
        if (suppressed > 0) {
            line.put("suppressed_before", suppressed);
        }
        if (error != null) {
            LOG.error("{}", event.get("summary"), StructuredArguments.entries(line), error);
        } else {
            LOG.warn("{}", event.get("summary"), StructuredArguments.entries(line));
        }
    }

    /** Logs, per cause, the lines suppressed since the last line of that cause; nothing when none. */
    public void reportSuppressed() {
        Map<String, Long> counts = limiter.drainSuppressed();
        if (!counts.isEmpty()) {
            LOG.warn("failure log lines suppressed by the per-cause rate limit",
                    StructuredArguments.keyValue("event", "tls_handshake_failures_suppressed"),
                    StructuredArguments.keyValue("suppressed", counts));
        }
    }

    /** @return the last failures, newest first */
    public RecentFailures recent() {
        return recent;
    }
}
