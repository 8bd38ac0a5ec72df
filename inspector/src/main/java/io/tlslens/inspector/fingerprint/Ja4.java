package io.tlslens.inspector.fingerprint;

import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.IntList;

import java.util.Arrays;
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
 * GREASE values (RFC 8701) are ignored everywhere. An empty string hashes to {@code 000000000000}, as in
 * FoxIO's reference implementation ({@code hash12}): no cipher suites, no extensions at all, and also a hello
 * whose only extensions are server_name and/or ALPN (part c is then empty once those two are left out).
 *
 * <p>The canonical strings are written as ASCII bytes into per-thread scratch ({@link Scratch}), sorted with
 * {@link Arrays#sort(int[], int, int)} and hashed from there; the only allocation is the result.
 */
public final class Ja4 {
    private static final String ZERO_HASH = "000000000000";

    private Ja4() {
    }

    /**
     * @param h a decoded ClientHello
     * @return the JA4 fingerprint, e.g. {@code t13d1516h2_8daaf6152771_e5627efa2ab1}
     */
    public static String of(ClientHello h) {
        Scratch s = Scratch.get();
        IntList ciphers = IntList.copyOf(h.cipherSuites());
        IntList exts = IntList.copyOf(h.extensionTypes());
        int[] codes = s.codes(Math.max(ciphers.size(), exts.size()));
        AsciiText out = s.result.clear();

        int cipherCount = withoutGrease(ciphers, codes);
        int extCount = countWithoutGrease(exts);
        out.append('t').append(version(h));
        out.append(exts.containsInt(0x0000) ? 'd' : 'i');
        out.appendTwoDigits(Math.min(cipherCount, 99));
        out.appendTwoDigits(Math.min(extCount, 99));
        appendAlpn(out, h.alpn());

        out.append('_');
        if (cipherCount == 0) {
            out.append(ZERO_HASH);
        } else {
            Arrays.sort(codes, 0, cipherCount);
            appendSha256Prefix(out, hexList(s.text.clear(), codes, cipherCount), s);
        }

        out.append('_');
        if (extCount == 0) {
            out.append(ZERO_HASH);
        } else {
            int n = withoutGrease(exts, codes);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (codes[i] != 0x0000 && codes[i] != 0x0010) {
                    codes[kept++] = codes[i];
                }
            }
            Arrays.sort(codes, 0, kept);
            AsciiText canonical = hexList(s.text.clear(), codes, kept);
            IntList sigs = IntList.copyOf(h.signatureSchemes());
            if (countWithoutGrease(sigs) > 0) {
                canonical.append('_');
                canonical.appendNonGrease(sigs, ',', true);
            }
            if (canonical.length() == 0) {
                out.append(ZERO_HASH); // only server_name and/or ALPN: FoxIO hashes the empty string to zeros
            } else {
                appendSha256Prefix(out, canonical, s);
            }
        }
        return out.toString();
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

    /** @return the two ALPN characters of part a for an ALPN list */
    static String alpn(List<String> alpn) {
        return appendAlpn(new AsciiText(2, 2), alpn).toString();
    }

    private static AsciiText appendAlpn(AsciiText out, List<String> alpn) {
        if (alpn.isEmpty() || alpn.get(0).isEmpty()) {
            return out.append("00");
        }
        String first = alpn.get(0);
        char f = first.charAt(0);
        char l = first.charAt(first.length() - 1);
        if (alnum(f) && alnum(l)) {
            return out.append(f).append(l);
        }
        // first hex digit of the first byte, last hex digit of the last byte (ISO-8859-1; other chars are '?')
        return out.appendHexDigit(latin1(f) >> 4).appendHexDigit(latin1(l) & 0xf);
    }

    private static int latin1(char c) {
        return c <= 0xff ? c : '?';
    }

    private static boolean alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Copies the non-GREASE values into {@code dest}, in order. @return how many */
    private static int withoutGrease(IntList values, int[] dest) {
        int n = 0;
        for (int i = 0; i < values.size(); i++) {
            int v = values.getInt(i);
            if (!TlsRegistry.isGrease(v)) {
                dest[n++] = v;
            }
        }
        return n;
    }

    private static int countWithoutGrease(IntList values) {
        int n = 0;
        for (int i = 0; i < values.size(); i++) {
            if (!TlsRegistry.isGrease(values.getInt(i))) {
                n++;
            }
        }
        return n;
    }

    /** Appends {@code values[0, n)} as 4-digit hex joined by {@code ,}. */
    private static AsciiText hexList(AsciiText out, int[] values, int n) {
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.appendHex4(values[i]);
        }
        return out;
    }

    /** Appends the first 12 hex characters of the SHA-256 of {@code text}. */
    private static void appendSha256Prefix(AsciiText out, AsciiText text, Scratch s) {
        text.digest(s.sha256, s.digestOut);
        out.appendHex(s.digestOut, 6);
    }
}
