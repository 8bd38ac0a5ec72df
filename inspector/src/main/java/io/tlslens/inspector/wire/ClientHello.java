package io.tlslens.inspector.wire;

import io.tlslens.inspector.registry.TlsRegistry;

import java.util.Arrays;
import java.util.List;

/**
 * A decoded ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2). Lists keep wire order, include
 * GREASE values (RFC 8701) and are unmodifiable; an absent extension gives an empty list. The code lists are
 * {@link IntList}s (unboxed, equal to any {@code List<Integer>} with the same values).
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
 * @param session              what it carried to resume a session: legacy_session_id and session_ticket (ext 35)
 *                             lengths ({@link Session#NONE} when unknown)
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
        boolean sslv2Compatible,
        Session session) {

    /**
     * The session state a ClientHello carried (RFC 5246 §7.4.1.2, RFC 5077 §3.2). pre_shared_key (ext 41) is
     * in {@link #extensionTypes()}.
     *
     * @param sessionIdLength     legacy_session_id length, 0..32
     * @param sessionTicketLength the session_ticket extension's data length (0: empty, "I support tickets";
     *                            -1: extension absent)
     */
    public record Session(int sessionIdLength, int sessionTicketLength) {
        /** No session ID, no session_ticket extension. */
        public static final Session NONE = new Session(0, -1);
    }

    /** A ClientHello without session information ({@link Session#NONE}). */
    public ClientHello(int recordVersion, int legacyVersion, List<Integer> cipherSuites, List<Integer> extensionTypes,
                       String serverName, List<String> alpn, List<Integer> supportedVersions,
                       List<Integer> supportedGroups, List<Integer> signatureSchemes, List<Integer> signatureSchemesCert,
                       List<Integer> ecPointFormats, List<Integer> keyShareGroups, List<Integer> pskKeyExchangeModes,
                       boolean statusRequest, boolean renegotiationInfo, boolean encryptedClientHello,
                       boolean sslv2Compatible) {
        this(recordVersion, legacyVersion, cipherSuites, extensionTypes, serverName, alpn, supportedVersions,
                supportedGroups, signatureSchemes, signatureSchemesCert, ecPointFormats, keyShareGroups,
                pskKeyExchangeModes, statusRequest, renegotiationInfo, encryptedClientHello, sslv2Compatible,
                Session.NONE);
    }

    /**
     * Copies every list into an unmodifiable list (code lists into {@link IntList}s); lists that already are
     * immutable ({@code IntList}, {@link List#copyOf}) are kept as they are; null lists become empty.
     */
    public ClientHello {
        cipherSuites = IntList.copyOf(cipherSuites);
        extensionTypes = IntList.copyOf(extensionTypes);
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
        supportedVersions = IntList.copyOf(supportedVersions);
        supportedGroups = IntList.copyOf(supportedGroups);
        signatureSchemes = IntList.copyOf(signatureSchemes);
        signatureSchemesCert = IntList.copyOf(signatureSchemesCert);
        ecPointFormats = IntList.copyOf(ecPointFormats);
        keyShareGroups = IntList.copyOf(keyShareGroups);
        pskKeyExchangeModes = IntList.copyOf(pskKeyExchangeModes);
        session = session == null ? Session.NONE : session;
    }

    /**
     * Whether the client tried to resume a session: a pre_shared_key (TLS 1.3), a non-empty session ticket
     * (RFC 5077), or a legacy_session_id from a client that does not offer TLS 1.3 (a TLS 1.3 client's
     * session ID is the random one of middlebox compatibility mode, RFC 8446 Appendix D.4, unless a ticket
     * goes with it).
     *
     * @return true for a resumption attempt
     */
    public boolean offersResumption() {
        if (extensionTypes.contains(0x0029) || session.sessionTicketLength() > 0) {
            return true;
        }
        return session.sessionIdLength() > 0 && !offeredVersions().contains(0x0304);
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
            int[] sorted = new int[supportedVersions.size()];
            int n = 0;
            for (int v : supportedVersions) {
                if (!TlsRegistry.isGrease(v)) {
                    sorted[n++] = v;
                }
            }
            Arrays.sort(sorted, 0, n);
            int distinct = 0;
            for (int i = 0; i < n; i++) {
                if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
                    sorted[distinct++] = sorted[i];
                }
            }
            return IntList.wrap(sorted, distinct);
        }
        if (legacyVersion < 0x0300) {
            return List.of(legacyVersion);
        }
        int top = Math.min(legacyVersion, 0x0303);
        int[] range = new int[Math.max(0, top - 0x0300 + 1)];
        for (int i = 0; i < range.length; i++) {
            range[i] = 0x0300 + i;
        }
        return IntList.wrap(range, range.length);
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
