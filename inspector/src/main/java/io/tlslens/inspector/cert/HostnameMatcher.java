package io.tlslens.inspector.cert;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate covers a requested name, by RFC 6125 §6.4 (as RFC 9525 and browsers apply it).
 * No DNS lookup is ever made.
 */
public final class HostnameMatcher {
    private HostnameMatcher() {
    }

    /**
     * DNS names match {@code dNSName} SANs case-insensitively; a wildcard is allowed only as the whole
     * left-most label ({@code *.example.com}), matches exactly one non-empty label, and needs at least
     * two labels after it; partial-label wildcards ({@code f*.example.com}) never match. IP literals
     * (IPv4 dotted quad, IPv6, optionally in brackets) match only {@code iPAddress} SANs, compared as
     * bytes. The subject CN is consulted only when the certificate has no SAN of any kind. A trailing
     * dot on the name or a SAN is ignored.
     *
     * @param name the SNI or the address the client connected to; null or empty never matches
     * @param leaf the server's certificate
     * @return true when the leaf covers name
     */
    public static boolean matches(String name, X509Certificate leaf) {
        if (name == null || leaf == null) {
            return false;
        }
        String n = name.trim();
        byte[] ip = parseIp(n);
        if (ip == null) {
            n = stripDot(n).toLowerCase(Locale.ROOT);
            if (n.isEmpty() || n.contains("*")) {
                return false;
            }
        }
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans != null && !sans.isEmpty()) {
            for (List<?> san : sans) {
                if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) {
                    continue;
                }
                if (ip != null && type == 7) {
                    byte[] sanIp = parseIp(value);
                    if (sanIp != null && Arrays.equals(ip, sanIp)) {
                        return true;
                    }
                } else if (ip == null && type == 2 && dnsMatches(n, value)) {
                    return true;
                }
            }
            return false;
        }
        String cn = commonName(leaf.getSubjectX500Principal());
        if (cn == null) {
            return false;
        }
        if (ip != null) {
            byte[] cnIp = parseIp(cn.trim());
            return cnIp != null && Arrays.equals(ip, cnIp);
        }
        return dnsMatches(n, cn);
    }

    /** @param name lowercase, no trailing dot; @param pattern a presented identifier */
    static boolean dnsMatches(String name, String pattern) {
        String p = stripDot(pattern.trim()).toLowerCase(Locale.ROOT);
        if (p.isEmpty()) {
            return false;
        }
        if (!p.contains("*")) {
            return p.equals(name);
        }
        if (!p.startsWith("*.") || p.indexOf('*', 1) >= 0) {
            return false; // only a whole left-most wildcard label
        }
        String rest = p.substring(2);
        if (rest.isEmpty() || rest.indexOf('.') < 0 || rest.startsWith(".") || rest.contains("..")) {
            return false; // "*.com" and malformed patterns never match
        }
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return false; // the wildcard must cover one non-empty label
        }
        return name.substring(dot + 1).equals(rest);
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String commonName(X500Principal p) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(p.getName(X500Principal.RFC2253)).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String v) {
                    cn = v; // RDNs are listed from the root: the last CN is the most specific
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    /**
     * @param s a candidate IP literal
     * @return its 4 or 16 bytes, or null when s is not an IPv4 dotted quad or an IPv6 literal
     */
    static byte[] parseIp(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.indexOf(':') >= 0) {
            return parseIpv6(s);
        }
        return parseIpv4(s);
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < part.length(); j++) {
                char ch = part.charAt(j);
                if (ch < '0' || ch > '9') {
                    return null;
                }
                v = v * 10 + (ch - '0');
            }
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseIpv6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = groups(head, dbl < 0);
        int[] t = groups(tail, true);
        if (h == null || t == null) {
            return null;
        }
        int total = h.length + t.length;
        if ((dbl < 0 && total != 8) || (dbl >= 0 && total > 7)) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(t, 0, all, 8 - t.length, t.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /** 16-bit groups of one side of "::"; an embedded IPv4 tail counts as two groups. */
    private static int[] groups(String s, boolean mayEndWithIpv4) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int[] out = new int[parts.length + 1];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && mayEndWithIpv4 && part.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(part);
                if (v4 == null) {
                    return null;
                }
                out[n++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                out[n++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int v = 0;
            for (int j = 0; j < part.length(); j++) {
                int d = Character.digit(part.charAt(j), 16);
                if (d < 0) {
                    return null;
                }
                v = (v << 4) | d;
            }
            out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }
}
