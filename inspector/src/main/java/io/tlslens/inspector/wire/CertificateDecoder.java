package io.tlslens.inspector.wire;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Certificate handshake message bodies into X509Certificates: the TLS ≤ 1.2 form
 * (RFC 5246 §7.4.2: {@code opaque ASN.1Cert<1..2^24-1>; ASN.1Cert certificate_list<0..2^24-1>}) and the
 * TLS 1.3 form (RFC 8446 §4.4.2: certificate_request_context, then entries of cert_data + extensions).
 * Each certificate is parsed with the JDK's X.509 {@link CertificateFactory}.
 */
public final class CertificateDecoder {
    private CertificateDecoder() {
    }

    /** At most this many certificates are parsed from one message (real chains have 2–4). */
    public static final int MAX_CERTIFICATES = 16;

    /**
     * @param body  the handshake message body (after the 4-byte handshake header)
     * @param tls13 true for the TLS 1.3 form (negotiated version 0x0304), false for SSL 3.0 … TLS 1.2
     * @return the decoded message
     * @throws MalformedHandshakeException with the byte offset within {@code body}: truncation, bad lengths,
     *                                     trailing bytes, more than {@link #MAX_CERTIFICATES} entries, or a
     *                                     certificate the X.509 parser rejects
     */
    public static CertificateMessage decode(byte[] body, boolean tls13) throws MalformedHandshakeException {
        Bytes b = new Bytes(body, 0, body.length);
        int contextLength = 0;
        if (tls13) {
            contextLength = b.u8("certificate_request_context length");
            b.skip(contextLength, "certificate_request_context");
        }
        int listAt = b.offset();
        int listLen = b.u24("certificate_list length");
        if (listLen != b.remaining()) {
            throw new MalformedHandshakeException(listAt, "certificate_list length " + listLen
                    + " does not match remaining " + b.remaining());
        }
        Bytes list = b.slice(listLen, "certificate_list");
        List<CertificateEntry> entries = new ArrayList<>();
        CertificateFactory factory = factory();
        while (list.remaining() > 0) {
            if (entries.size() == MAX_CERTIFICATES) {
                throw new MalformedHandshakeException(list.offset(), "more than " + MAX_CERTIFICATES + " certificates");
            }
            int at = list.offset();
            int len = list.u24("cert_data length");
            if (len == 0) {
                throw new MalformedHandshakeException(at, "empty cert_data");
            }
            byte[] der = list.bytes(len, "cert_data");
            X509Certificate cert = parse(factory, der, at + 3);
            List<Integer> extensionTypes = List.of();
            if (tls13) {
                extensionTypes = extensionTypes(list);
            }
            entries.add(new CertificateEntry(cert, extensionTypes));
        }
        return new CertificateMessage(contextLength, entries);
    }

    private static List<Integer> extensionTypes(Bytes list) throws MalformedHandshakeException {
        int extLen = list.u16("certificate entry extensions length");
        Bytes exts = list.slice(extLen, "certificate entry extensions");
        List<Integer> types = new ArrayList<>();
        while (exts.remaining() > 0) {
            int at = exts.offset();
            int type = exts.u16("extension type");
            int len = exts.u16("extension length");
            exts.skip(len, "extension data");
            if (types.contains(type)) {
                throw new MalformedHandshakeException(at, "duplicate extension " + type);
            }
            types.add(type);
        }
        return types;
    }

    private static X509Certificate parse(CertificateFactory factory, byte[] der, int offset)
            throws MalformedHandshakeException {
        try {
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            // the JDK parser may also throw unchecked exceptions on hostile DER
            throw new MalformedHandshakeException(offset, "unparseable X.509 certificate: " + e.getMessage());
        }
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 CertificateFactory is required of every JDK", e);
        }
    }
}
