package io.tlslens.inspector.policy;

import io.tlslens.inspector.registry.TlsRegistry;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Display names for versions and groups: the registry when available, else a small built-in table. */
final class Names {
    private Names() {
    }

    private static final Map<Integer, String> GROUPS = Map.ofEntries(
            Map.entry(0x0017, "secp256r1"), Map.entry(0x0018, "secp384r1"), Map.entry(0x0019, "secp521r1"),
            Map.entry(0x001D, "x25519"), Map.entry(0x001E, "x448"),
            Map.entry(0x0100, "ffdhe2048"), Map.entry(0x0101, "ffdhe3072"), Map.entry(0x0102, "ffdhe4096"),
            Map.entry(0x0103, "ffdhe6144"), Map.entry(0x0104, "ffdhe8192"),
            Map.entry(0x0200, "MLKEM512"), Map.entry(0x0201, "MLKEM768"), Map.entry(0x0202, "MLKEM1024"),
            Map.entry(0x11EB, "SecP256r1MLKEM768"), Map.entry(0x11EC, "X25519MLKEM768"),
            Map.entry(0x11ED, "SecP384r1MLKEM1024"), Map.entry(0x6399, "X25519Kyber768Draft00"));

    /** RFC 8701 §2: both bytes equal and of the form 0x?A. */
    static boolean isGrease(int v) {
        try {
            return TlsRegistry.isGrease(v);
        } catch (RuntimeException e) {
            return (v & 0x0F0F) == 0x0A0A && ((v >> 8) & 0xFF) == (v & 0xFF);
        }
    }

    static String version(int code) {
        try {
            String n = TlsRegistry.versionName(code);
            if (n != null) {
                return n;
            }
        } catch (RuntimeException e) {
            // fall through to the built-in names
        }
        switch (code) {
            case 0x0300: return "SSL 3.0";
            case 0x0301: return "TLS 1.0";
            case 0x0302: return "TLS 1.1";
            case 0x0303: return "TLS 1.2";
            case 0x0304: return "TLS 1.3";
            default: return isGrease(code) ? "GREASE" : String.format("0x%04x", code);
        }
    }

    static String group(int code) {
        try {
            String n = TlsRegistry.namedGroupName(code);
            if (n != null) {
                return n;
            }
        } catch (RuntimeException e) {
            // fall through to the built-in names
        }
        String n = GROUPS.get(code);
        return n != null ? n : String.format("0x%04x", code);
    }

    /**
     * Formats ascending versions: "TLS 1.2", "TLS 1.0–1.2" when contiguous, else "TLS 1.0, TLS 1.2".
     * Empty → "no version".
     */
    static String versionRange(List<Integer> ascending) {
        if (ascending.isEmpty()) {
            return "no version";
        }
        if (ascending.size() == 1) {
            return version(ascending.get(0));
        }
        boolean contiguous = true;
        for (int i = 1; i < ascending.size(); i++) {
            if (ascending.get(i) != ascending.get(i - 1) + 1) {
                contiguous = false;
                break;
            }
        }
        String first = version(ascending.get(0));
        String last = version(ascending.get(ascending.size() - 1));
        if (contiguous) {
            if (first.startsWith("TLS ") && last.startsWith("TLS ")) {
                return first + "–" + last.substring(4);
            }
            return first + "–" + last;
        }
        return ascending.stream().map(Names::version).collect(Collectors.joining(", "));
    }

    /** @return the names of the groups, GREASE left out, comma-separated ("x25519, secp256r1") */
    static String groups(List<Integer> codes) {
        return codes.stream().filter(c -> !isGrease(c)).map(Names::group).collect(Collectors.joining(", "));
    }

    /**
     * @param code a named group
     * @return true for the post-quantum and hybrid groups (ML-KEM alone, the ECDHE-MLKEM hybrids, the Kyber
     *         drafts), which exist only in TLS 1.3: their shares do not fit TLS 1.2's ECPoint
     */
    static boolean isPostQuantum(int code) {
        return (code >= 0x0200 && code <= 0x0202) || (code >= 0x11EB && code <= 0x11EE) || code == 0x6399 || code == 0x639A;
    }

    /** @return the IANA name of a signature scheme ({@code ecdsa_secp256r1_sha256}), else hex */
    static String signatureScheme(int code) {
        try {
            return TlsRegistry.signatureSchemeName(code);
        } catch (RuntimeException e) {
            return String.format("0x%04x", code);
        }
    }

    /** @return ALPN protocol IDs for a summary, comma-separated, non-printable bytes escaped ("h2, http/1.1") */
    static String alpn(List<String> ids) {
        return ids.stream().map(Names::printable).collect(Collectors.joining(", "));
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder(id.length());
        for (char c : id.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return sb.toString();
    }
}
