package io.tlslens.inspector.registry;

import java.util.Map;

/**
 * Derives OpenSSL cipher suite names from IANA names by rule, for the families OpenSSL names
 * (see the OpenSSL {@code ciphers(1)} manual's table of IANA ↔ OpenSSL names).
 */
final class OpenSslNames {
    private OpenSslNames() {
    }

    private static final Map<String, String> KEY_EXCHANGE = Map.ofEntries(
            Map.entry("RSA", ""),
            Map.entry("DHE_RSA", "DHE-RSA"),
            Map.entry("DHE_DSS", "DHE-DSS"),
            Map.entry("DH_RSA", "DH-RSA"),
            Map.entry("DH_DSS", "DH-DSS"),
            Map.entry("ECDHE_RSA", "ECDHE-RSA"),
            Map.entry("ECDHE_ECDSA", "ECDHE-ECDSA"),
            Map.entry("ECDH_RSA", "ECDH-RSA"),
            Map.entry("ECDH_ECDSA", "ECDH-ECDSA"),
            Map.entry("DH_anon", "ADH"),
            Map.entry("ECDH_anon", "AECDH"),
            Map.entry("PSK", "PSK"),
            Map.entry("DHE_PSK", "DHE-PSK"),
            Map.entry("PSK_DHE", "DHE-PSK"),
            Map.entry("RSA_PSK", "RSA-PSK"),
            Map.entry("ECDHE_PSK", "ECDHE-PSK"),
            Map.entry("SRP_SHA", "SRP"),
            Map.entry("SRP_SHA_RSA", "SRP-RSA"),
            Map.entry("SRP_SHA_DSS", "SRP-DSS"));

    /**
     * @param code the suite code
     * @param iana the IANA name
     * @return the OpenSSL name, or null when the family is not covered (export, SCSV, GOST, …)
     */
    static String derive(int code, String iana) {
        if (!iana.startsWith("TLS_")) {
            return null;
        }
        int with = iana.indexOf("_WITH_");
        if (with < 0) {
            // TLS 1.3 suites keep their IANA names in OpenSSL; SCSVs and others have none.
            return (code >> 8) == 0x13 ? iana : null;
        }
        String kx = KEY_EXCHANGE.get(iana.substring(4, with));
        if (kx == null) {
            return null;
        }
        boolean pskStyle = kx.contains("PSK") || kx.startsWith("SRP");
        String rest = iana.substring(with + 6);
        String bulk;
        String mac;
        if (rest.startsWith("CHACHA20_POLY1305_")) {
            bulk = "CHACHA20-POLY1305";
            mac = null;
        } else if (rest.matches("(AES|ARIA)_(128|256)_GCM_SHA(256|384)")) {
            String[] p = rest.split("_");
            bulk = p[0] + p[1] + "-GCM";
            mac = p[3];
            if (p[0].equals("ARIA") && kx.equals("ECDHE-RSA")) {
                kx = "ECDHE"; // OpenSSL quirk: ECDHE-ARIA128-GCM-SHA256
            }
        } else if (rest.matches("AES_(128|256)_CCM(_8)?")) {
            String[] p = rest.split("_");
            bulk = "AES" + p[1] + (p.length == 4 ? "-CCM8" : "-CCM");
            mac = null;
        } else if (rest.matches("AES_(128|256)_CBC_SHA(256|384)?")) {
            String[] p = rest.split("_");
            bulk = (kx.startsWith("SRP") ? "AES-" + p[1] : "AES" + p[1]) + (pskStyle ? "-CBC" : "");
            mac = p[3];
        } else if (rest.matches("CAMELLIA_(128|256)_CBC_SHA(256|384)?")) {
            String[] p = rest.split("_");
            bulk = "CAMELLIA" + p[1];
            mac = p[3];
        } else if (rest.equals("3DES_EDE_CBC_SHA")) {
            bulk = pskStyle ? "3DES-EDE-CBC" : "DES-CBC3";
            mac = "SHA";
        } else if (rest.matches("SEED_CBC_SHA")) {
            bulk = "SEED";
            mac = "SHA";
        } else if (rest.matches("RC4_128_(SHA|MD5)")) {
            bulk = "RC4";
            mac = rest.substring(8);
        } else if (rest.matches("NULL_(SHA|SHA256|SHA384|MD5)")) {
            bulk = "NULL";
            mac = rest.substring(5);
        } else {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        if (!kx.isEmpty()) {
            sb.append(kx).append('-');
        }
        sb.append(bulk);
        if (mac != null) {
            sb.append('-').append(mac);
        }
        return sb.toString();
    }
}
