package io.tlslens.inspector.diagnosis;

import java.util.Locale;

/** Which side of the proxy a handshake is on (README). */
public enum Leg {
    /** client ↔ tlslens */
    FRONTEND,
    /** tlslens ↔ backend */
    BACKEND;

    /** @return the metric label value: {@code frontend} or {@code backend} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
