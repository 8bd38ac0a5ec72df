package io.tlslens.config;

import java.util.Objects;

/**
 * One problem in a configuration.
 *
 * @param path    the key path, e.g. {@code tlslens.listeners[0].bind}, or {@code (syntax)} for a parse error
 * @param origin  where it was written, {@code file:line} (or a description such as {@code reference.conf:12})
 * @param message what was expected and what was found
 * @param fix     what to do about it
 */
public record ConfigProblem(String path, String origin, String message, String fix) {
    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
    }

    /** @return {@code <path> (<origin>): <message> — fix: <fix>} on one line */
    @Override
    public String toString() {
        return oneLine(path + " (" + origin + "): " + message + " — fix: " + fix);
    }

    private static String oneLine(String s) {
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
