package io.tlslens.config;

import java.util.Locale;

/** How a listener treats TLS on its frontend leg. */
public enum Mode {
    /** TLS ends at tlslens; the backend is plain TCP or re-encrypted TLS. */
    TERMINATE,
    /** TLS runs end to end; tlslens reads the records without decrypting. */
    PASSTHROUGH,
    /** Plain TCP from the client, TLS to the backend. */
    ORIGINATE;

    /** @return the configuration spelling and metric label: {@code terminate}, {@code passthrough}, {@code originate} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
