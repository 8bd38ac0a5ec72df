package io.tlslens.inspector.wire;

import io.tlslens.inspector.registry.TlsRegistry;

/**
 * A TLS alert (RFC 8446 §6, RFC 5246 §7.2).
 *
 * @param level       1 = warning, 2 = fatal
 * @param description the AlertDescription code, e.g. 40 handshake_failure
 */
public record Alert(int level, int description) {
    /** @return true when {@code level == 2} (fatal) */
    public boolean fatal() {
        return level == 2;
    }

    /** @return the IANA description name ({@link TlsRegistry#alertName(int)}), e.g. {@code unknown_ca} */
    public String descriptionName() {
        return TlsRegistry.alertName(description);
    }
}
