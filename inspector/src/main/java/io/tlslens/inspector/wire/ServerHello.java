package io.tlslens.inspector.wire;

import java.util.List;

/**
 * A decoded ServerHello or HelloRetryRequest (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3).
 *
 * @param legacyVersion     the legacy_version / server_version field
 * @param cipherSuite       the selected cipher suite
 * @param selectedVersion   supported_versions (ext 43) when present, else {@code legacyVersion}
 * @param helloRetryRequest true when random is the RFC 8446 §4.1.3 HelloRetryRequest value
 * @param extensionTypes    every extension type, in order (unmodifiable; empty when none)
 */
public record ServerHello(int legacyVersion, int cipherSuite, int selectedVersion, boolean helloRetryRequest,
                          List<Integer> extensionTypes) {
    /** Copies {@code extensionTypes}; null becomes empty. */
    public ServerHello {
        extensionTypes = extensionTypes == null ? List.of() : List.copyOf(extensionTypes);
    }

    /** @return true when TLS 1.3 (0x0304) was selected */
    public boolean tls13() {
        return selectedVersion == 0x0304;
    }
}
