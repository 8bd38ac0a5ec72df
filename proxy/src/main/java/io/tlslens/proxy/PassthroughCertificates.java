package io.tlslens.proxy;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the body of a TLS ≤ 1.2 Certificate handshake message (RFC 5246 §7.4.2): a 24-bit list
 * length, then each certificate as a 24-bit length and DER bytes. Bounds-checked; untrusted input.
 */
final class PassthroughCertificates {
    private PassthroughCertificates() {
    }

    /**
     * @param body the message body (after the 4-byte handshake header)
     * @return the certificates in message order (leaf first); empty when the list is empty
     * @throws IllegalArgumentException when a length overruns or a certificate does not parse
     */
    static List<X509Certificate> decode(byte[] body) {
        if (body.length < 3) {
            throw new IllegalArgumentException("Certificate message shorter than its length field");
        }
        int total = u24(body, 0);
        if (total != body.length - 3) {
            throw new IllegalArgumentException("certificate_list length " + total + " does not match " + (body.length - 3));
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            int p = 3;
            while (p < body.length) {
                if (p + 3 > body.length) {
                    throw new IllegalArgumentException("truncated certificate length at " + p);
                }
                int len = u24(body, p);
                p += 3;
                if (len == 0 || p + len > body.length) {
                    throw new IllegalArgumentException("certificate length " + len + " overruns the message at " + p);
                }
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(body, p, len)));
                p += len;
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("undecodable certificate: " + e.getMessage(), e);
        }
        return out;
    }

    private static int u24(byte[] b, int p) {
        return ((b[p] & 0xff) << 16) | ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
    }
}
