package io.tlslens.proxy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlslens.proxy.telemetry.FailureLog;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures the failure log exactly as it is written: each event of the {@code tlslens.handshake}
 * logger encoded by the same LogstashEncoder into one JSON line, then parsed back.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LogstashEncoder encoder = new LogstashEncoder();
    private final List<String> lines = new ArrayList<>();
    private final Logger logger;

    public LogCapture() {
        this(FailureLog.LOGGER);
    }

    /** @param loggerName the logger whose events are captured */
    public LogCapture(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        encoder.setContext(logger.getLoggerContext());
        encoder.start();
        setContext(logger.getLoggerContext());
        start();
        logger.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        lines.add(line);
    }

    /** @return every captured line, parsed */
    public synchronized List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("\n") && l.indexOf('\n') < l.length() - 1) {
                throw new AssertionError("log event spans more than one line: " + l);
            }
            try {
                out.add(JSON.readTree(l));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** @return the failure events with this cause */
    public List<JsonNode> withCause(String cause) {
        return events().stream().filter(e -> cause.equals(e.path("cause").asText())).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
