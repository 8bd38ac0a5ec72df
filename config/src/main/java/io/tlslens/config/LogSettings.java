package io.tlslens.config;

import java.util.List;
import java.util.Objects;

/**
 * The log ({@code tlslens.log}).
 *
 * @param format            one JSON object per line, or one readable line per failure
 * @param level             the logback level name, lower case: one of {@link #LEVELS}
 * @param failuresPerSecond failure lines written per cause per second, positive; the rest are counted and
 *                          reported as suppressed
 */
public record LogSettings(LogFormat format, String level, int failuresPerSecond) {
    /** The accepted levels, lowest first; the configuration may write them in any case. */
    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error");

    /** @throws IllegalArgumentException when {@code level} is not one of {@link #LEVELS} or the rate is not positive */
    public LogSettings {
        Objects.requireNonNull(format, "format");
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException("level must be one of " + LEVELS + ", found " + level);
        }
        if (failuresPerSecond <= 0) {
            throw new IllegalArgumentException("failuresPerSecond must be positive, found " + failuresPerSecond);
        }
    }
}
