package io.tlslens.inspector.policy;

import java.security.AlgorithmParameters;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The public key of the certificate a server presents, as far as the handshake cares: its type (which
 * decides the TLS ≤ 1.2 cipher suites it can serve), its curve (ECDSA) and size, and from these the
 * signature schemes it can sign the handshake with (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1) as BoringSSL
 * signs: ECDSA keys with the ECDSA schemes (in TLS 1.3 only the one of their own curve), RSA keys with
 * RSA-PSS (TLS 1.3) or RSA-PSS and PKCS#1 (TLS 1.2), Ed25519 keys with ed25519.
 *
 * @param type  the key type
 * @param curve for ECDSA the named group of its curve ({@code 0x0017} secp256r1, {@code 0x0018} secp384r1,
 *              {@code 0x0019} secp521r1), 0 when unknown or not ECDSA
 * @param bits  the key size in bits (RSA modulus, EC field), 0 when unknown
 */
public record CertificateKey(KeyType type, int curve, int bits) {
    /** secp256r1 (NIST P-256). */
    public static final int SECP256R1 = 0x0017;
    /** secp384r1 (NIST P-384). */
    public static final int SECP384R1 = 0x0018;
    /** secp521r1 (NIST P-521). */
    public static final int SECP521R1 = 0x0019;

    static final int RSA_PKCS1_SHA1 = 0x0201;
    static final int ECDSA_SHA1 = 0x0203;
    static final int RSA_PKCS1_SHA256 = 0x0401;
    static final int ECDSA_SECP256R1_SHA256 = 0x0403;
    static final int RSA_PKCS1_SHA384 = 0x0501;
    static final int ECDSA_SECP384R1_SHA384 = 0x0503;
    static final int RSA_PKCS1_SHA512 = 0x0601;
    static final int ECDSA_SECP521R1_SHA512 = 0x0603;
    static final int RSA_PSS_RSAE_SHA256 = 0x0804;
    static final int RSA_PSS_RSAE_SHA384 = 0x0805;
    static final int RSA_PSS_RSAE_SHA512 = 0x0806;
    static final int ED25519 = 0x0807;
    static final int ED448 = 0x0808;

    private static final int TLS12 = 0x0303;
    private static final int TLS13 = 0x0304;

    public CertificateKey {
        Objects.requireNonNull(type, "type");
    }

    /**
     * @param type a key type alone, as {@code tlslens compat --key} gives it
     * @return a typical key of that type: ECDSA P-256, RSA 2048, Ed25519; OTHER stays unknown
     */
    public static CertificateKey typical(KeyType type) {
        return switch (type) {
            case ECDSA -> new CertificateKey(KeyType.ECDSA, SECP256R1, 256);
            case RSA -> new CertificateKey(KeyType.RSA, 0, 2048);
            case EDDSA -> new CertificateKey(KeyType.EDDSA, 0, 255);
            case OTHER -> new CertificateKey(KeyType.OTHER, 0, 0);
        };
    }

    /**
     * @param key a certificate's public key
     * @return its type, curve and size
     */
    public static CertificateKey of(PublicKey key) {
        String alg = key.getAlgorithm();
        if (key instanceof RSAKey rsa) {
            return new CertificateKey(KeyType.RSA, 0, rsa.getModulus().bitLength());
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return new CertificateKey(KeyType.ECDSA, curve(ec, bits), bits);
        }
        if (key instanceof EdECKey ed) {
            return new CertificateKey(KeyType.EDDSA, 0, "Ed448".equals(ed.getParams().getName()) ? 448 : 255);
        }
        if (alg.equals("Ed25519") || alg.equals("Ed448")) {
            return new CertificateKey(KeyType.EDDSA, 0, alg.equals("Ed448") ? 448 : 255);
        }
        return new CertificateKey(KeyType.OTHER, 0, 0);
    }

    /** The named group of an EC key's curve, by OID, else by field size (the NIST curve of that size). */
    private static int curve(ECKey ec, int bits) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(ec.getParams());
            String name = p.getParameterSpec(ECGenParameterSpec.class).getName();
            switch (name) {
                case "1.2.840.10045.3.1.7", "secp256r1", "prime256v1" -> {
                    return SECP256R1;
                }
                case "1.3.132.0.34", "secp384r1" -> {
                    return SECP384R1;
                }
                case "1.3.132.0.35", "secp521r1" -> {
                    return SECP521R1;
                }
                default -> {
                    return 0;
                }
            }
        } catch (Exception e) {
            return switch (bits) {
                case 256 -> SECP256R1;
                case 384 -> SECP384R1;
                case 521 -> SECP521R1;
                default -> 0;
            };
        }
    }

    /** @return for logs: {@code ECDSA P-256}, {@code RSA 2048}, {@code Ed25519}, {@code unknown key} */
    public String label() {
        return switch (type) {
            case ECDSA -> "ECDSA " + switch (curve) {
                case SECP256R1 -> "P-256";
                case SECP384R1 -> "P-384";
                case SECP521R1 -> "P-521";
                default -> bits > 0 ? bits + "-bit" : "(unknown curve)";
            };
            case RSA -> bits > 0 ? "RSA " + bits : "RSA";
            case EDDSA -> bits == 448 ? "Ed448" : "Ed25519";
            case OTHER -> "of an unknown key type";
        };
    }

    /**
     * The signature schemes this key can sign a handshake with at a protocol version, in BoringSSL's order
     * of preference. Below TLS 1.2 there is no negotiation (MD5/SHA-1 are fixed): the list is empty and no
     * check applies.
     *
     * @param version protocol version (wire code)
     * @return the schemes (wire codes); empty below TLS 1.2 and for unknown key types
     */
    public List<Integer> signatureSchemes(int version) {
        List<Integer> out = new ArrayList<>();
        if (version < TLS12) {
            return out;
        }
        boolean tls13 = version >= TLS13;
        switch (type) {
            case ECDSA -> {
                if (tls13) {
                    switch (curve) {
                        case SECP256R1 -> out.add(ECDSA_SECP256R1_SHA256);
                        case SECP384R1 -> out.add(ECDSA_SECP384R1_SHA384);
                        case SECP521R1 -> out.add(ECDSA_SECP521R1_SHA512);
                        default -> out.addAll(List.of(ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384, ECDSA_SECP521R1_SHA512));
                    }
                } else {
                    out.addAll(List.of(ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384, ECDSA_SECP521R1_SHA512, ECDSA_SHA1));
                }
            }
            case RSA -> {
                out.addAll(List.of(RSA_PSS_RSAE_SHA256, RSA_PSS_RSAE_SHA384, RSA_PSS_RSAE_SHA512));
                if (!tls13) {
                    out.addAll(List.of(RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512, RSA_PKCS1_SHA1));
                }
            }
            case EDDSA -> out.add(bits == 448 ? ED448 : ED25519);
            case OTHER -> {
                // unknown: no check can be made
            }
        }
        return out;
    }

    /**
     * @param scheme a signature scheme (wire code)
     * @return the key family that makes it: {@code RSA} (PKCS#1 and PSS), {@code ECDSA}, {@code EdDSA}, else {@code other}
     */
    static String family(int scheme) {
        int hi = scheme >> 8;
        int lo = scheme & 0xff;
        if ((hi >= 0x02 && hi <= 0x06 && lo == 0x01) || (hi == 0x08 && ((lo >= 0x04 && lo <= 0x06) || (lo >= 0x09 && lo <= 0x0b)))
                || (hi >= 0x04 && hi <= 0x06 && lo == 0x20)) {
            return "RSA";
        }
        if ((hi >= 0x02 && hi <= 0x06 && lo == 0x03) || (hi == 0x08 && lo >= 0x1a && lo <= 0x1c)) {
            return "ECDSA";
        }
        if (scheme == ED25519 || scheme == ED448) {
            return "EdDSA";
        }
        return "other";
    }

    /** @return true for an RSA PKCS#1 v1.5 scheme (not allowed for TLS 1.3 handshake signatures, RFC 8446 §4.2.3) */
    static boolean isPkcs1(int scheme) {
        int lo = scheme & 0xff;
        int hi = scheme >> 8;
        return hi >= 0x02 && hi <= 0x06 && (lo == 0x01 || lo == 0x20);
    }

    /** @return the family of this key in the words of {@link #family(int)} */
    String familyName() {
        return switch (type) {
            case RSA -> "RSA";
            case ECDSA -> "ECDSA";
            case EDDSA -> "EdDSA";
            case OTHER -> "other";
        };
    }
}
