package io.tlslens.inspector.cert;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Minimal, bounds-checked DER reading for the two key-identifier extensions (RFC 5280 §4.2.1.1,
 * §4.2.1.2). Anything malformed reads as "absent".
 */
final class Der {
    private Der() {
    }

    private static final String SKI_OID = "2.5.29.14";
    private static final String AKI_OID = "2.5.29.35";

    /** One TLV: tag byte, content offset and content length within the buffer. */
    private record Tlv(int tag, int start, int length) {
        int end() {
            return start + length;
        }
    }

    /** @return the TLV at {@code off}, or null when it does not fit inside {@code [off, limit)} */
    private static Tlv read(byte[] b, int off, int limit) {
        if (off < 0 || limit > b.length || off + 2 > limit) {
            return null;
        }
        int tag = b[off] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            return null; // high tag numbers never occur here
        }
        int lenByte = b[off + 1] & 0xFF;
        int pos = off + 2;
        int len;
        if (lenByte < 0x80) {
            len = lenByte;
        } else {
            int n = lenByte & 0x7F;
            if (n == 0 || n > 3 || pos + n > limit) {
                return null; // indefinite or absurd lengths
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (b[pos++] & 0xFF);
            }
        }
        if (len < 0 || pos + len > limit) {
            return null;
        }
        return new Tlv(tag, pos, len);
    }

    /** @return the subjectKeyIdentifier, empty when absent or malformed */
    static Optional<byte[]> subjectKeyIdentifier(X509Certificate c) {
        byte[] ext = c.getExtensionValue(SKI_OID);
        if (ext == null) {
            return Optional.empty();
        }
        Tlv outer = read(ext, 0, ext.length); // OCTET STRING wrapping the extnValue
        if (outer == null || outer.tag() != 0x04) {
            return Optional.empty();
        }
        Tlv inner = read(ext, outer.start(), outer.end()); // KeyIdentifier ::= OCTET STRING
        if (inner == null || inner.tag() != 0x04) {
            return Optional.empty();
        }
        return Optional.of(copy(ext, inner));
    }

    /** @return the keyIdentifier [0] of the authorityKeyIdentifier, empty when absent or malformed */
    static Optional<byte[]> authorityKeyIdentifier(X509Certificate c) {
        byte[] ext = c.getExtensionValue(AKI_OID);
        if (ext == null) {
            return Optional.empty();
        }
        Tlv outer = read(ext, 0, ext.length);
        if (outer == null || outer.tag() != 0x04) {
            return Optional.empty();
        }
        Tlv seq = read(ext, outer.start(), outer.end()); // AuthorityKeyIdentifier ::= SEQUENCE
        if (seq == null || seq.tag() != 0x30) {
            return Optional.empty();
        }
        int pos = seq.start();
        while (pos < seq.end()) {
            Tlv field = read(ext, pos, seq.end());
            if (field == null) {
                return Optional.empty();
            }
            if (field.tag() == 0x80) { // [0] IMPLICIT KeyIdentifier
                return Optional.of(copy(ext, field));
            }
            pos = field.end();
        }
        return Optional.empty();
    }

    private static byte[] copy(byte[] b, Tlv t) {
        byte[] out = new byte[t.length()];
        System.arraycopy(b, t.start(), out, 0, t.length());
        return out;
    }
}
