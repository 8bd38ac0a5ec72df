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
            Map.entry(0x11EC, "X25519MLKEM768"), Map.entry(0x11EB, "SecP256r1MLKEM768"));

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
}
