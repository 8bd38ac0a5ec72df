package io.tlslens.inspector.fingerprint;

import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Salesforce JA3 TLS client fingerprint: the string
 * {@code SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats} with decimal values
 * joined by {@code -} in wire order, RFC 8701 GREASE values removed from every list, the version
 * being the ClientHello legacy_version; the hash is its lowercase hex MD5.
 */
public final class Ja3 {
    private Ja3() {
    }

    /**
     * @param h a decoded ClientHello
     * @return the JA3 canonical string, e.g. {@code 771,4865-4866,0-10-11,29-23,0}
     */
    public static String string(ClientHello h) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(h.legacyVersion()).append(',');
        join(sb, h.cipherSuites());
        sb.append(',');
        join(sb, h.extensionTypes());
        sb.append(',');
        join(sb, h.supportedGroups());
        sb.append(',');
        join(sb, h.ecPointFormats());
        return sb.toString();
    }

    /**
     * @param h a decoded ClientHello
     * @return 32 lowercase hex characters: MD5 of {@link #string(ClientHello)}
     */
    public static String hash(ClientHello h) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(string(h).getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every JDK", e);
        }
    }

    private static void join(StringBuilder sb, List<Integer> values) {
        boolean first = true;
        for (int v : values) {
            if (TlsRegistry.isGrease(v)) {
                continue;
            }
            if (!first) {
                sb.append('-');
            }
            sb.append(v);
            first = false;
        }
    }
}
