package io.tlslens.inspector.registry;

import java.util.OptionalInt;

/**
 * IANA TLS registry names (cipher suites, named groups, signature schemes, extension types,
 * alert descriptions, protocol versions), loaded from the IANA CSV exports bundled as resources.
 * Unknown values print as hex ({@code 0x1a2b}); RFC 8701 GREASE values print as {@code GREASE}.
 */
public final class TlsRegistry {
    private TlsRegistry() {
    }

    /** @return true for an RFC 8701 GREASE value (0x?A?A with both bytes equal) */
    public static boolean isGrease(int value) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return IANA name of a cipher suite code, e.g. {@code TLS_AES_128_GCM_SHA256} */
    public static String cipherSuiteName(int code) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * @param name an IANA name ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) or an OpenSSL name
     *             ({@code ECDHE-RSA-AES128-GCM-SHA256}); case-insensitive
     * @return the cipher suite code, empty when unknown
     */
    public static OptionalInt cipherSuiteCode(String name) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return the OpenSSL name of a cipher suite, or null when it has none */
    public static String openSslCipherName(int code) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return IANA name of a named group (supported_groups), e.g. {@code x25519}, {@code X25519MLKEM768} */
    public static String namedGroupName(int code) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return IANA name of a signature scheme, e.g. {@code ecdsa_secp256r1_sha256} */
    public static String signatureSchemeName(int code) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return IANA name of an extension type, e.g. {@code server_name} */
    public static String extensionName(int code) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return IANA alert description name, e.g. {@code handshake_failure}, {@code unknown_ca} */
    public static String alertName(int code) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return the alert description code for an IANA alert name, empty when unknown */
    public static OptionalInt alertCode(String name) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * @param code protocol version on the wire, e.g. 0x0303
     * @return {@code SSL 3.0}, {@code TLS 1.0} … {@code TLS 1.3}, {@code GREASE}, else hex
     */
    public static String versionName(int code) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * @param name a JDK/OpenSSL protocol name: {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3}, {@code SSLv3}
     * @return the wire code, empty when unknown
     */
    public static OptionalInt versionCode(String name) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return the JDK/OpenSSL protocol name for a wire code ({@code TLSv1.2}), or null when unknown */
    public static String versionProtocolName(int code) {
        throw new UnsupportedOperationException("stub");
    }
}
