package io.tlslens.inspector.policy;

import io.tlslens.inspector.registry.TlsRegistry;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Properties of a cipher suite needed for the policy judgement, derived from its IANA name
 * (RFC 5246 §A.5, RFC 8446 §B.4). The name comes from {@link TlsRegistry#cipherSuiteName(int)};
 * while that is not available, from a small built-in table of the suites the named policies and
 * common clients use. A code with no known name has no usable properties (it fits no key).
 * Also holds the IANA codes of the cipher suites used by {@link NamedPolicies}.
 */
public final class CipherSuites {
    private CipherSuites() {
    }

    /** TLS 1.3 cipher suites (RFC 8446 §B.4). */
    public static final int TLS_AES_128_GCM_SHA256 = 0x1301;
    public static final int TLS_AES_256_GCM_SHA384 = 0x1302;
    public static final int TLS_CHACHA20_POLY1305_SHA256 = 0x1303;
    public static final int TLS_AES_128_CCM_SHA256 = 0x1304;
    public static final int TLS_AES_128_CCM_8_SHA256 = 0x1305;

    /** ECDHE with ECDSA certificates (RFC 8422, RFC 5289, RFC 7905). */
    public static final int TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xC009;
    public static final int TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 0xC00A;
    public static final int TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 0xC023;
    public static final int TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 0xC024;
    public static final int TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B;
    public static final int TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C;
    public static final int TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA9;

    /** ECDHE with RSA certificates. */
    public static final int TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xC013;
    public static final int TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = 0xC014;
    public static final int TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 0xC027;
    public static final int TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 0xC028;
    public static final int TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F;
    public static final int TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030;
    public static final int TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA8;

    /** Finite-field DHE with RSA certificates. */
    public static final int TLS_DHE_RSA_WITH_AES_128_CBC_SHA = 0x0033;
    public static final int TLS_DHE_RSA_WITH_AES_256_CBC_SHA = 0x0039;
    public static final int TLS_DHE_RSA_WITH_AES_128_CBC_SHA256 = 0x0067;
    public static final int TLS_DHE_RSA_WITH_AES_256_CBC_SHA256 = 0x006B;
    public static final int TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 = 0x009E;
    public static final int TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 = 0x009F;
    public static final int TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAA;

    /** Static RSA key exchange. */
    public static final int TLS_RSA_WITH_3DES_EDE_CBC_SHA = 0x000A;
    public static final int TLS_RSA_WITH_AES_128_CBC_SHA = 0x002F;
    public static final int TLS_RSA_WITH_AES_256_CBC_SHA = 0x0035;
    public static final int TLS_RSA_WITH_AES_128_CBC_SHA256 = 0x003C;
    public static final int TLS_RSA_WITH_AES_256_CBC_SHA256 = 0x003D;
    public static final int TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009C;
    public static final int TLS_RSA_WITH_AES_256_GCM_SHA384 = 0x009D;

    /** Signalling cipher suite values (RFC 5746 §3.3, RFC 7507 §2): never negotiated. */
    public static final int TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF;
    public static final int TLS_FALLBACK_SCSV = 0x5600;

    /** TLS 1.2 protocol version on the wire. */
    static final int TLS12 = 0x0303;
    /** TLS 1.3 protocol version on the wire. */
    static final int TLS13 = 0x0304;
    /** SSL 3.0 protocol version on the wire. */
    static final int SSL30 = 0x0300;

    private static final Map<Integer, String> BUILT_IN = builtIn();

    private static Map<Integer, String> builtIn() {
        Map<Integer, String> m = new HashMap<>();
        for (var f : CipherSuites.class.getFields()) {
            if (f.getType() == int.class && f.getName().startsWith("TLS_")) {
                try {
                    m.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        // A few more that clients commonly offer, for readable summaries.
        m.put(0x0004, "TLS_RSA_WITH_RC4_128_MD5");
        m.put(0x0005, "TLS_RSA_WITH_RC4_128_SHA");
        m.put(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA");
        m.put(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA");
        m.put(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA");
        m.put(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA");
        m.put(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA");
        m.put(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM");
        m.put(0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM");
        m.put(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
        m.put(0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8");
        return Collections.unmodifiableMap(m);
    }

    /**
     * @param code cipher suite code (0x0000–0xFFFF)
     * @return the IANA name, or null when neither the registry nor the built-in table knows it
     *         (GREASE and unassigned values)
     */
    static String nameOrNull(int code) {
        String n = null;
        try {
            n = TlsRegistry.cipherSuiteName(code);
        } catch (RuntimeException e) {
            // registry not available yet: fall back to the built-in table
        }
        if (n != null && n.startsWith("TLS_")) {
            return n;
        }
        return BUILT_IN.get(code);
    }

    /**
     * @param code cipher suite code
     * @return the IANA name, or {@code 0x1a2b} hex when unknown
     */
    static String displayName(int code) {
        String n = nameOrNull(code);
        return n != null ? n : String.format("0x%04x", code);
    }

    /**
     * @param code cipher suite code
     * @return true for a TLS 1.3 cipher suite (RFC 8446 §B.4; also the RFC 8998 SM4 suites),
     *         whose name has no key exchange part ({@code TLS_AES_128_GCM_SHA256})
     */
    public static boolean isTls13(int code) {
        if ((code >= 0x1301 && code <= 0x1305) || code == 0x00C6 || code == 0x00C7) {
            return true;
        }
        String n = nameOrNull(code);
        return n != null && !n.contains("_WITH_") && !n.endsWith("_SCSV");
    }

    /**
     * Whether a server with a certificate of that key type can negotiate the suite
     * (TLS 1.2 and below: the key exchange part of the name decides, RFC 5246 §7.4.2, RFC 8422 §5.3).
     * ECDSA suites need an ECDSA certificate (or EdDSA, which RFC 8422 §5.3 allows with
     * ECDHE_ECDSA suites); RSA, ECDHE_RSA and DHE_RSA need an RSA one; TLS 1.3 suites fit any key.
     * Anonymous, PSK, SRP, Kerberos, DSS, static (EC)DH and export suites fit none: a modern
     * server stack does not negotiate them.
     *
     * @param code cipher suite code
     * @param key  the certificate's key type
     * @return true when that certificate can serve this suite; false for SCSVs, GREASE and unknown codes
     */
    public static boolean fitsKey(int code, KeyType key) {
        if (isTls13(code)) {
            return true;
        }
        String n = nameOrNull(code);
        if (n == null || !n.startsWith("TLS_")) {
            return false;
        }
        int with = n.indexOf("_WITH_");
        if (with < 0) {
            return false;
        }
        String kx = n.substring(4, with).toUpperCase(Locale.ROOT);
        if (kx.contains("ANON") || kx.contains("PSK") || kx.contains("SRP") || kx.contains("KRB5")
                || kx.contains("EXPORT") || kx.contains("NULL")) {
            return false;
        }
        switch (kx) {
            case "ECDHE_ECDSA":
                return key == KeyType.ECDSA || key == KeyType.EDDSA;
            case "RSA":
            case "ECDHE_RSA":
            case "DHE_RSA":
                return key == KeyType.RSA;
            default:
                return false;
        }
    }

    /**
     * The lowest protocol version that can use the suite: AEAD (GCM, CCM, ChaCha20-Poly1305) and
     * SHA-256/SHA-384 PRF suites are TLS 1.2 only (RFC 5246 §1.2, RFC 5288 §4); TLS 1.3 suites need
     * TLS 1.3; everything else dates from SSL 3.0.
     *
     * @param code cipher suite code
     * @return 0x0304, 0x0303 or 0x0300 (also 0x0300 for unknown codes)
     */
    public static int minVersion(int code) {
        if (isTls13(code)) {
            return TLS13;
        }
        String n = nameOrNull(code);
        if (n == null) {
            return SSL30;
        }
        if (n.contains("_GCM") || n.contains("_CCM") || n.contains("CHACHA20")
                || n.endsWith("_SHA256") || n.endsWith("_SHA384")) {
            return TLS12;
        }
        return SSL30;
    }

    /**
     * @param code cipher suite code
     * @return true for RFC 8701 GREASE values and the signalling values (SCSVs), which a client
     *         lists but no server ever selects
     */
    static boolean isPlaceholder(int code) {
        return Names.isGrease(code) || code == TLS_EMPTY_RENEGOTIATION_INFO_SCSV || code == TLS_FALLBACK_SCSV;
    }

    /**
     * @param code cipher suite code
     * @return true for an ECDHE key exchange (TLS ≤ 1.2): it needs an elliptic curve both sides list
     */
    static boolean isEcdhe(int code) {
        String n = nameOrNull(code);
        return n != null && n.startsWith("TLS_ECDHE_");
    }

    /**
     * @param code cipher suite code
     * @return true for a finite-field DHE key exchange (TLS ≤ 1.2), which the server signs like ECDHE
     */
    static boolean isDhe(int code) {
        String n = nameOrNull(code);
        return n != null && n.startsWith("TLS_DHE_");
    }
}
