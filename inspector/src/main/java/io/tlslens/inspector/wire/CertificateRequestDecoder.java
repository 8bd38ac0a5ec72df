package io.tlslens.inspector.wire;

import javax.security.auth.x500.X500Principal;

import java.util.ArrayList;
import java.util.List;

/** Decodes CertificateRequest bodies: RFC 5246 §7.4.4 (and RFC 4346 §7.4.4 for TLS 1.0/1.1), RFC 8446 §4.3.2. */
public final class CertificateRequestDecoder {
    private CertificateRequestDecoder() {
    }

    /**
     * @param body    the handshake message body (after the 4-byte handshake header)
     * @param version the negotiated version (0x0300 … 0x0304); TLS 1.2 adds supported_signature_algorithms,
     *                TLS 1.3 is the extension-based form
     * @return the decoded request
     * @throws MalformedHandshakeException with the byte offset within {@code body}: truncation, bad lengths,
     *                                     trailing bytes, duplicate extension, an undecodable distinguished name
     */
    public static CertificateRequest decode(byte[] body, int version) throws MalformedHandshakeException {
        Bytes b = new Bytes(body, 0, body.length);
        if (version >= 0x0304) {
            return decodeTls13(b);
        }
        List<Integer> types = new ArrayList<>();
        Bytes t = b.slice(b.u8("certificate_types length"), "certificate_types");
        while (t.remaining() > 0) {
            types.add(t.u8("certificate type"));
        }
        List<Integer> schemes = List.of();
        if (version >= 0x0303) {
            schemes = u16s(b.slice(b.u16("supported_signature_algorithms length"), "supported_signature_algorithms"),
                    "signature scheme");
        }
        List<String> cas = names(b.slice(b.u16("certificate_authorities length"), "certificate_authorities"));
        end(b);
        return new CertificateRequest(types, schemes, List.of(), cas, List.of());
    }

    private static CertificateRequest decodeTls13(Bytes b) throws MalformedHandshakeException {
        b.skip(b.u8("certificate_request_context length"), "certificate_request_context");
        Bytes exts = b.slice(b.u16("extensions length"), "extensions");
        end(b);
        List<Integer> types = new ArrayList<>();
        List<Integer> sigs = List.of();
        List<Integer> sigsCert = List.of();
        List<String> cas = List.of();
        while (exts.remaining() > 0) {
            int at = exts.offset();
            int type = exts.u16("extension type");
            Bytes data = exts.slice(exts.u16("extension length"), "extension data");
            if (types.contains(type)) {
                throw new MalformedHandshakeException(at, "duplicate extension " + type);
            }
            types.add(type);
            switch (type) {
                case 0x000d -> sigs = u16s(whole(data, "signature_algorithms"), "signature scheme");
                case 0x0032 -> sigsCert = u16s(whole(data, "signature_algorithms_cert"), "signature scheme");
                case 0x002f -> cas = names(whole(data, "certificate_authorities"));
                default -> {
                    // other extensions: type recorded only
                }
            }
        }
        return new CertificateRequest(List.of(), sigs, sigsCert, cas, types);
    }

    /** A 2-byte length-prefixed vector that must fill {@code data} exactly. */
    private static Bytes whole(Bytes data, String what) throws MalformedHandshakeException {
        Bytes v = data.slice(data.u16(what + " length"), what);
        end(data);
        return v;
    }

    private static List<Integer> u16s(Bytes v, String what) throws MalformedHandshakeException {
        if (v.remaining() % 2 != 0) {
            throw new MalformedHandshakeException(v.offset(), what + " list length is odd");
        }
        List<Integer> out = new ArrayList<>(v.remaining() / 2);
        while (v.remaining() > 0) {
            out.add(v.u16(what));
        }
        return out;
    }

    private static List<String> names(Bytes v) throws MalformedHandshakeException {
        List<String> out = new ArrayList<>();
        while (v.remaining() > 0) {
            int at = v.offset();
            byte[] der = v.bytes(v.u16("DistinguishedName length"), "DistinguishedName");
            try {
                out.add(new X500Principal(der).getName(X500Principal.RFC2253));
            } catch (RuntimeException e) {
                throw new MalformedHandshakeException(at, "undecodable DistinguishedName: " + e.getMessage());
            }
        }
        return out;
    }

    private static void end(Bytes b) throws MalformedHandshakeException {
        if (b.remaining() != 0) {
            throw new MalformedHandshakeException(b.offset(), b.remaining() + " trailing bytes");
        }
    }
}
