package io.tlslens.inspector.diagnosis;

import java.util.Locale;

/** Who sent the alert that is reported with a failure: the {@code alert_sender} label. */
public enum AlertSender {
    CLIENT, PROXY, BACKEND, NONE;

    /** @return the label value: {@code client}, {@code proxy}, {@code backend} or {@code none} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
