package io.tlslens.config;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** PEM reading with Bouncy Castle; every failure is a {@link PemException} with a user-facing message. */
final class Pem {
    private Pem() {
    }

    /** A PEM file that cannot be used; the message says why. */
    static final class PemException extends Exception {
        private static final long serialVersionUID = 1L;

        PemException(String message) {
            super(message);
        }
    }

    /** @return every certificate in the file, in file order; other PEM blocks are skipped */
    static List<X509Certificate> readCertificates(Path file) throws IOException, PemException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object o;
            while ((o = nextObject(parser, file)) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    try {
                        out.add(converter.getCertificate(holder));
                    } catch (CertificateException e) {
                        throw new PemException("certificate " + (out.size() + 1) + " in " + file + " cannot be decoded: " + e.getMessage());
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new PemException("no PEM certificate (-----BEGIN CERTIFICATE-----) in " + file);
        }
        return out;
    }

    /** @return the first private key in the file (PKCS#8, PKCS#1 RSA or SEC1 EC) */
    static PrivateKey readPrivateKey(Path file) throws IOException, PemException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object o;
            while ((o = nextObject(parser, file)) != null) {
                try {
                    if (o instanceof PrivateKeyInfo info) {
                        return converter.getPrivateKey(info);
                    }
                    if (o instanceof PEMKeyPair pair) {
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                } catch (IOException | RuntimeException e) {
                    throw new PemException("the private key in " + file + " cannot be decoded: " + e.getMessage());
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new PemException("the private key in " + file + " is encrypted; encrypted keys are not supported");
                }
            }
        }
        throw new PemException("no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY) in " + file);
    }

    private static Object nextObject(PEMParser parser, Path file) throws PemException {
        try {
            return parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new PemException("malformed PEM in " + file + ": " + e.getMessage());
        }
    }

    /**
     * @return true when {@code key} is the private half of {@code publicKey}: RSA by modulus,
     *         everything else by a sign/verify round trip; true when the algorithm cannot be checked
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa && publicKey instanceof RSAPublicKey pub) {
            return rsa.getModulus().equals(pub.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        if (!sameFamily(key.getAlgorithm(), publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(data);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean sameFamily(String a, String b) {
        List<String> eddsa = Arrays.asList("Ed25519", "Ed448", "EdDSA");
        if (eddsa.contains(a)) {
            return eddsa.contains(b);
        }
        return a.equals(b) || (a.startsWith("EC") && b.startsWith("EC"));
    }
}
