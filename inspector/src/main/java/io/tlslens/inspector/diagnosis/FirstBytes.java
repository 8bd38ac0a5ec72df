package io.tlslens.inspector.diagnosis;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Classifies the first bytes of a connection that did not start with a TLS record
 * (docs/diagnosis.md step 2) and renders them for evidence.
 */
public final class FirstBytes {
    private static final List<String> HTTP_PREFIXES =
            List.of("GET ", "POST", "HEAD", "PUT ", "DELE", "OPTI", "PATC", "CONN", "PRI ", "TRAC");

    private FirstBytes() {
    }

    /**
     * @param first the first bytes received (any length)
     * @return true when they start with an HTTP/1.x method or the HTTP/2 preface
     */
    public static boolean isHttp(byte[] first) {
        if (first == null || first.length < 4) {
            return false;
        }
        String head = new String(first, 0, 4, StandardCharsets.ISO_8859_1);
        return HTTP_PREFIXES.contains(head);
    }

    /** @return the bytes as lower-case hex, e.g. {@code 474554202f} */
    public static String hex(byte[] first) {
        return first == null ? "" : HexFormat.of().formatHex(first);
    }

    /** @return the bytes as printable ASCII, other bytes shown as {@code .} */
    public static String printable(byte[] first) {
        if (first == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(first.length);
        for (byte b : first) {
            int c = b & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        return sb.toString();
    }
}
