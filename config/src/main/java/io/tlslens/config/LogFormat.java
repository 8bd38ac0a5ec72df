package io.tlslens.config;

import java.util.Locale;

/** How a failed handshake is written to stdout ({@code tlslens.log.format}). */
public enum LogFormat {
    /** One JSON object per line, event {@code tls_handshake_failure} (docs/log.md). */
    JSON,
    /** One readable line per failure: time, listener, cause, summary, client, SNI, alert and sender, first hint. */
    TEXT;

    /** @return the configuration spelling: {@code json}, {@code text} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
