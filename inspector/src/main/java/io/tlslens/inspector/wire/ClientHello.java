package io.tlslens.inspector.wire;

import io.tlslens.inspector.registry.TlsRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A decoded ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2). Lists keep wire order, include
 * GREASE values (RFC 8701) and are unmodifiable; an absent extension gives an empty list.
 * Strings (SNI, ALPN) are decoded one char per byte (ISO-8859-1), so the wire bytes are recoverable.
 *
 * @param recordVersion        record-layer version of the first record carrying it (0x0301 typical);
 *                             0x0002 for an SSLv2-compatible hello
 * @param legacyVersion        the legacy_version / client_version field
 * @param cipherSuites         cipher suite codes
 * @param extensionTypes       every extension type, in order
 * @param serverName           host_name from server_name (ext 0), null when absent
 * @param alpn                 ALPN protocol names (ext 16)
 * @param supportedVersions    supported_versions (ext 43)
 * @param supportedGroups      supported_groups (ext 10)
 * @param signatureSchemes     signature_algorithms (ext 13)
 * @param signatureSchemesCert signature_algorithms_cert (ext 50)
 * @param ecPointFormats       ec_point_formats (ext 11)
 * @param keyShareGroups       the group of each KeyShareEntry in key_share (ext 51)
 * @param pskKeyExchangeModes  psk_key_exchange_modes (ext 45)
 * @param statusRequest        status_request (ext 5) present
 * @param renegotiationInfo    renegotiation_info (ext 0xff01) present or SCSV 0x00ff offered
 * @param encryptedClientHello encrypted_client_hello (ext 0xfe0d) present
 * @param sslv2Compatible      sent in an SSLv2-compatible record (RFC 5246 Appendix E.2)
 */
public record ClientHello(
        int recordVersion,
        int legacyVersion,
        List<Integer> cipherSuites,
        List<Integer> extensionTypes,
        String serverName,
        List<String> alpn,
        List<Integer> supportedVersions,
        List<Integer> supportedGroups,
        List<Integer> signatureSchemes,
        List<Integer> signatureSchemesCert,
        List<Integer> ecPointFormats,
        List<Integer> keyShareGroups,
        List<Integer> pskKeyExchangeModes,
        boolean statusRequest,
        boolean renegotiationInfo,
        boolean encryptedClientHello,
        boolean sslv2Compatible) {

    /** Copies every list into an unmodifiable list; null lists become empty. */
    public ClientHello {
        cipherSuites = copy(cipherSuites);
        extensionTypes = copy(extensionTypes);
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
        supportedVersions = copy(supportedVersions);
        supportedGroups = copy(supportedGroups);
        signatureSchemes = copy(signatureSchemes);
        signatureSchemesCert = copy(signatureSchemesCert);
        ecPointFormats = copy(ecPointFormats);
        keyShareGroups = copy(keyShareGroups);
        pskKeyExchangeModes = copy(pskKeyExchangeModes);
    }

    private static List<Integer> copy(List<Integer> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    /**
     * Versions the client will accept, ascending, GREASE removed: the supported_versions values
     * when that extension is present; else every version from SSL 3.0 (0x0300) up to
     * {@code legacyVersion}, capped at TLS 1.2 because TLS 1.3 can only be negotiated through
     * supported_versions (RFC 8446 §4.2.1). A legacy version below 0x0300 (SSL 2.0 = 0x0002)
     * gives just that version.
     *
     * @return unmodifiable ascending list of wire version codes; empty when supported_versions
     *         holds only GREASE
     */
    public List<Integer> offeredVersions() {
        if (extensionTypes.contains(0x002b)) {
            TreeSet<Integer> set = new TreeSet<>();
            for (int v : supportedVersions) {
                if (!TlsRegistry.isGrease(v)) {
                    set.add(v);
                }
            }
            return List.copyOf(set);
        }
        if (legacyVersion < 0x0300) {
            return List.of(legacyVersion);
        }
        List<Integer> out = new ArrayList<>();
        int top = Math.min(legacyVersion, 0x0303);
        for (int v = 0x0300; v <= top; v++) {
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** @return highest of {@link #offeredVersions()}, or 0 when none */
    public int maxVersion() {
        List<Integer> v = offeredVersions();
        return v.isEmpty() ? 0 : v.get(v.size() - 1);
    }

    /** @return lowest of {@link #offeredVersions()}, or 0 when none */
    public int minVersion() {
        List<Integer> v = offeredVersions();
        return v.isEmpty() ? 0 : v.get(0);
    }

    /** @return true when {@code code} is among the offered cipher suites */
    public boolean offersCipherSuite(int code) {
        return cipherSuites.contains(code);
    }
}
