package io.tlslens.proxy.telemetry;

import io.tlslens.config.LogFormat;
import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one JSON line per failed handshake (docs/log.md) through SLF4J and the
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
    private final boolean text;

    /**
     * @param perCausePerSecond failure lines allowed per cause per second
     * @param format            {@code json}: the message is the summary and the fields ride along as JSON;
     *                          {@code text}: the message is the whole readable line
     */
    public FailureLog(int perCausePerSecond, LogFormat format) {
        this.limiter = new LogRateLimiter(perCausePerSecond, System::nanoTime);
        this.text = format == LogFormat.TEXT;
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
        Object message = text ? textLine(line) : event.get("summary");
        if (error != null) {
            LOG.error("{}", message, StructuredArguments.entries(line), error);
        } else {
            LOG.warn("{}", message, StructuredArguments.entries(line));
        }
    }

    /**
     * @param line the failure line's fields
     * @return one readable line: listener, cause, summary, client address, SNI, alert and its sender, first fix hint
     */
    static String textLine(Map<String, Object> line) {
        StringBuilder sb = new StringBuilder();
        sb.append("listener=").append(line.get("listener")).append(" leg=").append(line.get("leg"))
                .append(" cause=").append(line.get("cause")).append(": ").append(line.get("summary"))
                .append(" | client=").append(line.get("client_address"));
        if (line.get("client_hello") instanceof Map<?, ?> hello && hello.get("server_name") != null) {
            sb.append(" sni=").append(hello.get("server_name"));
        }
        if (line.get("alert") instanceof Map<?, ?> alert && !"none".equals(alert.get("description"))) {
            sb.append(" alert=").append(alert.get("description")).append(" from ").append(alert.get("sender"));
        }
        if (line.get("hints") instanceof List<?> hints && !hints.isEmpty()) {
            sb.append(" | fix: ").append(hints.get(0));
        }
        if (line.get("suppressed_before") != null) {
            sb.append(" (").append(line.get("suppressed_before")).append(" similar lines suppressed before)");
        }
        return sb.toString();
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
