package io.tlslens.proxy.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.tlslens.config.LogFormat;
import io.tlslens.config.LogSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code tlslens.log}: the root level, and for {@code format = text} one readable line per event
 * on stdout instead of logback.xml's JSON lines (the failure lines then carry their text form, see
 * {@link FailureLog}).
 */
public final class LogOutput {
    /** The pattern of a text line: time, level, then the message. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %msg%n%ex";

    private LogOutput() {
    }

    /**
     * For a command whose stdout is its result ({@code tlslens probe --output json}): log lines, WARN and up, go to
     * stderr as text, so nothing a library logs can end up inside the result.
     */
    public static void toStderr() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("STDERR");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.detachAndStopAllAppenders();
        root.addAppender(err);
    }

    /**
     * @param settings the log settings (level already validated as a logback level name)
     */
    public static void apply(LogSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding (tests may use one): leave it as configured
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        if (settings.format() != LogFormat.TEXT) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> text = new ConsoleAppender<>();
        text.setContext(context);
        text.setName("TEXT");
        text.setEncoder(encoder);
        text.start();
        root.detachAndStopAllAppenders();
        root.addAppender(text);
    }

    /**
     * Raises the root level to ERROR until closed, for one-shot commands ({@code tlslens check}) whose output is
     * their own lines: warnings they report themselves are not logged a second time.
     *
     * @return restores the previous root level when closed
     */
    public static AutoCloseable quiet() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        root.setLevel(Level.ERROR);
        return () -> root.setLevel(before);
    }
}
