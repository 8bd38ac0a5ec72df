package io.tlslens.inspector.fingerprint;

import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.IntList;

/**
 * Salesforce JA3 TLS client fingerprint: the string
 * {@code SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats} with decimal values
 * joined by {@code -} in wire order, RFC 8701 GREASE values removed from every list, the version
 * being the ClientHello legacy_version; the hash is its lowercase hex MD5.
 *
 * <p>The string is written as ASCII bytes into per-thread scratch ({@link Scratch}) and hashed from there.
 */
public final class Ja3 {
    private Ja3() {
    }

    /**
     * @param h a decoded ClientHello
     * @return the JA3 canonical string, e.g. {@code 771,4865-4866,0-10-11,29-23,0}
     */
    public static String string(ClientHello h) {
        return canonical(h, Scratch.get().text.clear()).toString();
    }

    /**
     * @param h a decoded ClientHello
     * @return 32 lowercase hex characters: MD5 of {@link #string(ClientHello)}
     */
    public static String hash(ClientHello h) {
        Scratch s = Scratch.get();
        int n = canonical(h, s.text.clear()).digest(s.md5, s.digestOut);
        return s.result.clear().appendHex(s.digestOut, n).toString();
    }

    private static AsciiText canonical(ClientHello h, AsciiText out) {
        out.appendDecimal(h.legacyVersion()).append(',');
        out.appendNonGrease(IntList.copyOf(h.cipherSuites()), '-', false);
        out.append(',');
        out.appendNonGrease(IntList.copyOf(h.extensionTypes()), '-', false);
        out.append(',');
        out.appendNonGrease(IntList.copyOf(h.supportedGroups()), '-', false);
        out.append(',');
        out.appendNonGrease(IntList.copyOf(h.ecPointFormats()), '-', false);
        return out;
    }
}
