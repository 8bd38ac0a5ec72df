package io.tlslens.inspector.cert;

import javax.security.auth.x500.X500Principal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One certificate of a chain as shown in logs and metrics.
 *
 * @param role              {@code leaf}, {@code intermediate} or {@code root}
 * @param subject           subject DN, RFC 2253 form ({@code CN=foo,O=Bar})
 * @param issuer            issuer DN, RFC 2253 form
 * @param serialHex         serial number, uppercase hex without leading zeros
 * @param notBefore         start of validity
 * @param notAfter          end of validity
 * @param subjectAltNames   SANs as {@code DNS:x}, {@code IP:1.2.3.4}, {@code email:x}, {@code URI:x}
 * @param sha256Fingerprint SHA-256 of the DER encoding, uppercase hex, colon-separated
 * @param keyAlgorithm      public key algorithm and size, e.g. {@code RSA 2048}, {@code EC 256}, {@code Ed25519}
 */
public record CertificateSummary(String role, String subject, String issuer, String serialHex, Instant notBefore,
                                 Instant notAfter, List<String> subjectAltNames, String sha256Fingerprint,
                                 String keyAlgorithm) {

    /** Copies the SAN list; all fields are required. */
    public CertificateSummary {
        Objects.requireNonNull(role, "role");
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /**
     * @param c    a certificate
     * @param role {@code leaf}, {@code intermediate} or {@code root}
     * @return its summary
     * @throws IllegalArgumentException when the certificate cannot be encoded
     */
    public static CertificateSummary of(X509Certificate c, String role) {
        return new CertificateSummary(role,
                c.getSubjectX500Principal().getName(X500Principal.RFC2253),
                c.getIssuerX500Principal().getName(X500Principal.RFC2253),
                c.getSerialNumber().toString(16).toUpperCase(Locale.ROOT),
                c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(),
                subjectAltNames(c),
                fingerprint(c),
                keyAlgorithm(c.getPublicKey()));
    }

    /** @return the SANs of c as {@code TYPE:value} strings (RFC 5280 §4.2.1.6), empty when none or unreadable */
    static List<String> subjectAltNames(X509Certificate c) {
        Collection<List<?>> sans;
        try {
            sans = c.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (sans == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (List<?> san : sans) {
            if (san.size() < 2 || !(san.get(0) instanceof Integer) || !(san.get(1) instanceof String)) {
                continue;
            }
            String value = (String) san.get(1);
            switch ((Integer) san.get(0)) {
                case 1 -> out.add("email:" + value);
                case 2 -> out.add("DNS:" + value);
                case 6 -> out.add("URI:" + value);
                case 7 -> out.add("IP:" + value);
                default -> { }
            }
        }
        return out;
    }

    private static String fingerprint(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            StringBuilder sb = new StringBuilder(d.length * 3);
            for (int i = 0; i < d.length; i++) {
                if (i > 0) {
                    sb.append(':');
                }
                sb.append(String.format("%02X", d[i] & 0xFF));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    private static String keyAlgorithm(PublicKey k) {
        if (k instanceof RSAKey rsa) {
            return k.getAlgorithm() + " " + rsa.getModulus().bitLength();
        }
        if (k instanceof ECKey ec) {
            return "EC " + ec.getParams().getCurve().getField().getFieldSize();
        }
        if (k instanceof EdECKey ed) {
            return ed.getParams().getName();
        }
        return k.getAlgorithm();
    }
}
