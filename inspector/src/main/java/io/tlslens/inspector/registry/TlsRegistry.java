package io.tlslens.inspector.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * IANA TLS registry names (cipher suites, named groups, signature schemes, extension types,
 * alert descriptions, protocol versions), loaded from the IANA CSV exports bundled as resources.
 * Unknown values print as hex ({@code 0x1a2b}); RFC 8701 GREASE values print as {@code GREASE}.
 *
 * <p>The CSVs ({@code /iana/*.csv}, provenance in {@code /iana/README.md}) are parsed once, lazily,
 * on first use. Rows whose value is a range or whose name is {@code Unassigned}/{@code Reserved…}
 * are skipped; GREASE is recognised by rule ({@link #isGrease(int)}). Names keep only the first
 * word of IANA's description, so {@code session_ticket (renamed from …)} prints as
 * {@code session_ticket}. All methods are thread-safe.
 */
public final class TlsRegistry {
    private TlsRegistry() {
    }

    /** Loaded tables; initialised on first access by the JVM's class-holder idiom. */
    private static final class Tables {
        static final Map<Integer, String> CIPHERS = load("tls-parameters-4.csv", true);
        static final Map<Integer, String> ALERTS = load("tls-parameters-6.csv", false);
        static final Map<Integer, String> GROUPS = load("tls-parameters-8.csv", false);
        static final Map<Integer, String> SIGSCHEMES = load("tls-signaturescheme.csv", false);
        static final Map<Integer, String> EXTENSIONS = load("tls-extensiontype-values-1.csv", false);
        static final Map<Integer, String> CONTENT_TYPES = load("tls-parameters-5.csv", false);
        static final Map<Integer, String> HANDSHAKE_TYPES = load("tls-parameters-7.csv", false);
        static final Map<String, Integer> ALERT_CODES = invert(ALERTS);
        static final Map<Integer, String> OPENSSL_NAMES;
        static final Map<String, Integer> CIPHER_CODES;

        static {
            Map<Integer, String> openssl = new HashMap<>();
            Map<String, Integer> codes = new HashMap<>();
            CIPHERS.forEach((code, name) -> {
                codes.put(name.toUpperCase(Locale.ROOT), code);
                String o = OpenSslNames.derive(code, name);
                if (o != null) {
                    openssl.put(code, o);
                }
            });
            // IANA names win over OpenSSL names when both spell the same (TLS 1.3 suites).
            openssl.forEach((code, o) -> codes.putIfAbsent(o.toUpperCase(Locale.ROOT), code));
            OPENSSL_NAMES = Collections.unmodifiableMap(openssl);
            CIPHER_CODES = Collections.unmodifiableMap(codes);
        }
    }

    private static Map<Integer, String> load(String file, boolean twoByteValue) {
        String text;
        try (InputStream in = TlsRegistry.class.getResourceAsStream("/iana/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /iana/" + file);
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /iana/" + file, e);
        }
        List<List<String>> rows = Csv.parse(text);
        Map<Integer, String> map = new HashMap<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() < 2) {
                continue;
            }
            String value = row.get(0).trim();
            String name = firstWord(row.get(1));
            if (name.isEmpty() || value.indexOf('-') >= 0 || value.indexOf('*') >= 0
                    || name.startsWith("Unassigned") || name.startsWith("Reserved")
                    || name.startsWith("Private") || name.startsWith("Experimental")) {
                continue;
            }
            Integer code = parseValue(value, twoByteValue);
            if (code != null) {
                map.putIfAbsent(code, name);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static String firstWord(String description) {
        String d = description.trim();
        int sp = 0;
        while (sp < d.length() && !Character.isWhitespace(d.charAt(sp))) {
            sp++;
        }
        return d.substring(0, sp);
    }

    /** Parses "0x13,0x01" (two-byte form), "0x0403" or "10"; null when not a single value. */
    private static Integer parseValue(String value, boolean twoByte) {
        try {
            if (twoByte) {
                int comma = value.indexOf(',');
                if (comma < 0) {
                    return null;
                }
                int hi = parseNumber(value.substring(0, comma).trim());
                int lo = parseNumber(value.substring(comma + 1).trim());
                if (hi < 0 || hi > 0xff || lo < 0 || lo > 0xff) {
                    return null;
                }
                return (hi << 8) | lo;
            }
            return parseNumber(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int parseNumber(String s) {
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return Integer.parseInt(s.substring(2), 16);
        }
        return Integer.parseInt(s);
    }

    private static Map<String, Integer> invert(Map<Integer, String> map) {
        Map<String, Integer> inv = new HashMap<>();
        map.forEach((code, name) -> inv.put(name.toLowerCase(Locale.ROOT), code));
        return Collections.unmodifiableMap(inv);
    }

    private static String hex4(int code) {
        return String.format("0x%04x", code);
    }

    private static String hex2(int code) {
        return String.format("0x%02x", code);
    }

    private static String name16(Map<Integer, String> table, int code) {
        if (isGrease(code)) {
            return "GREASE";
        }
        String name = table.get(code);
        return name != null ? name : hex4(code);
    }

    /** @return true for an RFC 8701 GREASE value (0x?A?A with both bytes equal) */
    public static boolean isGrease(int value) {
        return (value & ~0xffff) == 0 && (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
    }

    /** @return IANA name of a cipher suite code, e.g. {@code TLS_AES_128_GCM_SHA256} */
    public static String cipherSuiteName(int code) {
        return name16(Tables.CIPHERS, code);
    }

    /** @return every cipher suite code the IANA registry names, ascending (no ranges, GREASE or unassigned values) */
    public static List<Integer> cipherSuiteCodes() {
        return Tables.CIPHERS.keySet().stream().sorted().toList();
    }

    /** @return every named group code the IANA registry names, ascending */
    public static List<Integer> namedGroupCodes() {
        return Tables.GROUPS.keySet().stream().sorted().toList();
    }

    /**
     * @param name an IANA name ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}) or an OpenSSL name
     *             ({@code ECDHE-RSA-AES128-GCM-SHA256}); case-insensitive. The legacy OpenSSL spellings
     *             {@code EDH-…} (for {@code DHE-…}) are accepted too.
     * @return the cipher suite code, empty when unknown or null
     */
    public static OptionalInt cipherSuiteCode(String name) {
        if (name == null) {
            return OptionalInt.empty();
        }
        String key = name.trim().toUpperCase(Locale.ROOT);
        Integer code = Tables.CIPHER_CODES.get(key);
        if (code == null && key.startsWith("EDH-")) {
            code = Tables.CIPHER_CODES.get("DHE-" + key.substring(4));
        }
        if (code == null && key.startsWith("SSL_")) {
            // JDK spelling of old suites, e.g. SSL_RSA_WITH_3DES_EDE_CBC_SHA
            code = Tables.CIPHER_CODES.get("TLS_" + key.substring(4));
        }
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /**
     * @return the OpenSSL name of a cipher suite (derived from the IANA name for the common
     *         families: RSA, (EC)DHE, ECDH, PSK, anonymous; AES, AES-GCM/CCM, CHACHA20, 3DES,
     *         CAMELLIA, ARIA, SEED, RC4, NULL), or null when it has none
     */
    public static String openSslCipherName(int code) {
        return Tables.OPENSSL_NAMES.get(code);
    }

    /** @return IANA name of a named group (supported_groups), e.g. {@code x25519}, {@code X25519MLKEM768} */
    public static String namedGroupName(int code) {
        return name16(Tables.GROUPS, code);
    }

    /** @return IANA name of a signature scheme, e.g. {@code ecdsa_secp256r1_sha256} */
    public static String signatureSchemeName(int code) {
        return name16(Tables.SIGSCHEMES, code);
    }

    /** @return IANA name of an extension type, e.g. {@code server_name} */
    public static String extensionName(int code) {
        return name16(Tables.EXTENSIONS, code);
    }

    /** @return IANA alert description name, e.g. {@code handshake_failure}, {@code unknown_ca}; unknown → {@code 0x%02x} */
    public static String alertName(int code) {
        String name = Tables.ALERTS.get(code);
        return name != null ? name : hex2(code);
    }

    /** @return the alert description code for an IANA alert name (case-insensitive), empty when unknown */
    public static OptionalInt alertCode(String name) {
        if (name == null) {
            return OptionalInt.empty();
        }
        Integer code = Tables.ALERT_CODES.get(name.trim().toLowerCase(Locale.ROOT));
        return code == null ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /**
     * @param code record content type (RFC 8446 §5.1), e.g. 22
     * @return IANA name, e.g. {@code handshake}, {@code application_data}; unknown → {@code 0x%02x}
     */
    public static String contentTypeName(int code) {
        String name = Tables.CONTENT_TYPES.get(code);
        return name != null ? name : hex2(code);
    }

    /**
     * @param code handshake message type (RFC 8446 §4), e.g. 1
     * @return IANA name, e.g. {@code client_hello}, {@code certificate}; unknown → {@code 0x%02x}
     */
    public static String handshakeTypeName(int code) {
        String name = Tables.HANDSHAKE_TYPES.get(code);
        return name != null ? name : hex2(code);
    }

    /**
     * @param code protocol version on the wire, e.g. 0x0303
     * @return {@code SSL 2.0}, {@code SSL 3.0}, {@code TLS 1.0} … {@code TLS 1.3}, {@code GREASE}, else hex
     */
    public static String versionName(int code) {
        return switch (code) {
            case 0x0002 -> "SSL 2.0";
            case 0x0300 -> "SSL 3.0";
            case 0x0301 -> "TLS 1.0";
            case 0x0302 -> "TLS 1.1";
            case 0x0303 -> "TLS 1.2";
            case 0x0304 -> "TLS 1.3";
            default -> isGrease(code) ? "GREASE" : hex4(code);
        };
    }

    /**
     * @param name a JDK/OpenSSL protocol name: {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3},
     *             {@code SSLv3} (also {@code TLSv1.0} and the display form {@code TLS 1.2}); case-insensitive
     * @return the wire code, empty when unknown
     */
    public static OptionalInt versionCode(String name) {
        if (name == null) {
            return OptionalInt.empty();
        }
        String n = name.trim().toUpperCase(Locale.ROOT).replace(" ", "").replace("V", "");
        return switch (n) {
            case "SSL3", "SSL3.0" -> OptionalInt.of(0x0300);
            case "TLS1", "TLS1.0" -> OptionalInt.of(0x0301);
            case "TLS1.1" -> OptionalInt.of(0x0302);
            case "TLS1.2" -> OptionalInt.of(0x0303);
            case "TLS1.3" -> OptionalInt.of(0x0304);
            default -> OptionalInt.empty();
        };
    }

    /** @return the JDK/OpenSSL protocol name for a wire code ({@code TLSv1.2}), or null when unknown */
    public static String versionProtocolName(int code) {
        return switch (code) {
            case 0x0002 -> "SSLv2";
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLSv1.1";
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            default -> null;
        };
    }
}
