package io.tlslens.inspector.fingerprint;

import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * FoxIO JA4 TLS client fingerprint, TCP flavour ({@code t}), as specified in the JA4+ repository's
 * {@code technical_details/JA4.md} (FoxIO-LLC/ja4, 2024–2026 text, including the rule for
 * non-alphanumeric ALPN values). Output {@code a_b_c}:
 * <ul>
 * <li><b>a</b> = {@code t} + version ({@code 13 12 11 10 s3 s2}, else {@code 00}; the highest
 *     supported_versions value when that extension is present, else legacy_version) + {@code d} when the
 *     server_name extension is present, else {@code i} + 2-digit cipher count + 2-digit extension count
 *     (both capped at 99; extension count includes server_name and ALPN) + first and last character of the
 *     first ALPN value ({@code 00} without ALPN; when either end byte is not an ASCII letter or digit, the
 *     first and last characters of the value's lowercase hex form);</li>
 * <li><b>b</b> = first 12 hex characters of SHA-256 over the cipher suites as 4-digit lowercase hex,
 *     sorted, joined by {@code ,};</li>
 * <li><b>c</b> = first 12 hex characters of SHA-256 over the extension types (without server_name 0x0000
 *     and ALPN 0x0010) as 4-digit hex, sorted, joined by {@code ,}, then {@code _} and the signature
 *     algorithms in wire order joined by {@code ,} (no {@code _} when there are none).</li>
 * </ul>
 * GREASE values (RFC 8701) are ignored everywhere. An empty cipher or extension list hashes to
 * {@code 000000000000}.
 */
public final class Ja4 {
    private Ja4() {
    }

    /**
     * @param h a decoded ClientHello
     * @return the JA4 fingerprint, e.g. {@code t13d1516h2_8daaf6152771_e5627efa2ab1}
     */
    public static String of(ClientHello h) {
        List<Integer> ciphers = withoutGrease(h.cipherSuites());
        List<Integer> exts = withoutGrease(h.extensionTypes());
        StringBuilder a = new StringBuilder("t");
        a.append(version(h));
        a.append(h.extensionTypes().contains(0x0000) ? 'd' : 'i');
        a.append(twoDigits(ciphers.size()));
        a.append(twoDigits(exts.size()));
        a.append(alpn(h.alpn()));

        List<Integer> sortedCiphers = new ArrayList<>(ciphers);
        sortedCiphers.sort(null);
        String b = ciphers.isEmpty() ? "000000000000" : sha256Prefix(hexList(sortedCiphers));

        String c = "000000000000";
        List<Integer> sortedExts = new ArrayList<>();
        for (int e : exts) {
            if (e != 0x0000 && e != 0x0010) {
                sortedExts.add(e);
            }
        }
        if (!exts.isEmpty()) {
            sortedExts.sort(null);
            String canonical = hexList(sortedExts);
            List<Integer> sigs = withoutGrease(h.signatureSchemes());
            if (!sigs.isEmpty()) {
                canonical = canonical + "_" + hexList(sigs);
            }
            c = sha256Prefix(canonical);
        }
        return a + "_" + b + "_" + c;
    }

    /** @return the JA4 two-character version code for a ClientHello */
    static String version(ClientHello h) {
        int v = h.legacyVersion();
        if (h.extensionTypes().contains(0x002b)) {
            int max = -1;
            for (int s : h.supportedVersions()) {
                if (!TlsRegistry.isGrease(s)) {
                    max = Math.max(max, s);
                }
            }
            if (max >= 0) {
                v = max;
            }
        }
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            default -> "00";
        };
    }

    static String alpn(List<String> alpn) {
        if (alpn.isEmpty() || alpn.get(0).isEmpty()) {
            return "00";
        }
        String first = alpn.get(0);
        char f = first.charAt(0);
        char l = first.charAt(first.length() - 1);
        if (alnum(f) && alnum(l)) {
            return "" + f + l;
        }
        String hex = HexFormat.of().formatHex(first.getBytes(StandardCharsets.ISO_8859_1));
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String twoDigits(int n) {
        int v = Math.min(n, 99);
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static List<Integer> withoutGrease(List<Integer> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (int v : values) {
            if (!TlsRegistry.isGrease(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static String hexList(List<Integer> values) {
        StringBuilder sb = new StringBuilder(values.size() * 5);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            int v = values.get(i);
            for (int shift = 12; shift >= 0; shift -= 4) {
                sb.append(Character.forDigit((v >> shift) & 0xf, 16)); // %04x without a Formatter
            }
        }
        return sb.toString();
    }

    private static String sha256Prefix(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
