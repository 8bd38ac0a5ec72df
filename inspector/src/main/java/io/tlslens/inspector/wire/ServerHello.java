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
 * @param keyShareGroup     the named group of key_share (ext 51): a HelloRetryRequest's selected_group or the
 *                          group of a TLS 1.3 ServerHello's share; -1 when absent
 * @param alpn              the protocol selected by application_layer_protocol_negotiation (ext 16, TLS ≤ 1.2;
 *                          TLS 1.3 sends it encrypted), or null when absent
 */
public record ServerHello(int legacyVersion, int cipherSuite, int selectedVersion, boolean helloRetryRequest,
                          List<Integer> extensionTypes, int keyShareGroup, String alpn) {
    /** Copies {@code extensionTypes}; null becomes empty. */
    public ServerHello {
        extensionTypes = extensionTypes == null ? List.of() : List.copyOf(extensionTypes);
    }

    /** A ServerHello without key_share and ALPN details (keyShareGroup -1, alpn null). */
    public ServerHello(int legacyVersion, int cipherSuite, int selectedVersion, boolean helloRetryRequest,
                       List<Integer> extensionTypes) {
        this(legacyVersion, cipherSuite, selectedVersion, helloRetryRequest, extensionTypes, -1, null);
    }

    /** A ServerHello with its key_share group but without the ALPN answer (alpn null). */
    public ServerHello(int legacyVersion, int cipherSuite, int selectedVersion, boolean helloRetryRequest,
                       List<Integer> extensionTypes, int keyShareGroup) {
        this(legacyVersion, cipherSuite, selectedVersion, helloRetryRequest, extensionTypes, keyShareGroup, null);
    }

    /**
     * @return true when a TLS 1.3 ServerHello (not a HelloRetryRequest) carries pre_shared_key (ext 41): the
     *         server accepted one of the client's PSKs, a resumed session (RFC 8446 §4.2.11)
     */
    public boolean preSharedKeyAccepted() {
        return !helloRetryRequest && extensionTypes.contains(0x0029);
    }

    /** @return true when TLS 1.3 (0x0304) was selected */
    public boolean tls13() {
        return selectedVersion == 0x0304;
    }
}
