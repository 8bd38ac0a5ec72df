package io.tlslens.config;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Test certificates and keys written as PEM in the formats the loader must read. */
final class TestPki {
    private TestPki() {
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static X509Certificate selfSigned(KeyPair pair, String cn) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        Instant now = Instant.now();
        String alg = pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(new SecureRandom().nextInt(Integer.MAX_VALUE)), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), name, pair.getPublic())
                .build(new JcaContentSignerBuilder(alg).build(pair.getPrivate())));
    }

    /** A CRL issued by {@code ca} (self-signed) listing {@code revoked} as revoked, valid for a day. */
    static X509CRL crl(KeyPair ca, X509Certificate caCert, BigInteger revoked) throws Exception {
        Instant now = Instant.now();
        JcaX509v2CRLBuilder b = new JcaX509v2CRLBuilder(caCert.getSubjectX500Principal(), Date.from(now.minus(Duration.ofHours(1))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        b.addCRLEntry(revoked, Date.from(now.minus(Duration.ofMinutes(5))), 0);
        return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
    }

    static String pem(Object... objects) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return out.toString();
    }

    /** PKCS#8 "BEGIN PRIVATE KEY". */
    static String pkcs8(KeyPair pair) throws Exception {
        return pem(new JcaPKCS8Generator(pair.getPrivate(), null));
    }

    /** PKCS#1 "BEGIN RSA PRIVATE KEY". */
    static String pkcs1(KeyPair rsa) throws Exception {
        return pem(rsa);
    }

    /**
     * SEC1 as {@code openssl ecparam -genkey} writes it: an "EC PARAMETERS" block (named curve), then
     * "EC PRIVATE KEY" with the curve OID and the public key.
     */
    static String sec1(KeyPair ec) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
        ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        DERBitString publicKey = new DERBitString(SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded()).getPublicKeyData().getBytes());
        org.bouncycastle.asn1.sec.ECPrivateKey full = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(), publicKey, curve);
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject("EC PARAMETERS", curve.toASN1Primitive().getEncoded()));
            w.writeObject(new PemObject("EC PRIVATE KEY", full.getEncoded()));
        }
        return out.toString();
    }

    /** Traditional format with "Proc-Type: 4,ENCRYPTED". */
    static String encryptedTraditional(KeyPair pair) throws Exception {
        return pem(new JcaMiscPEMGenerator(pair.getPrivate(),
                new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider()).build("secret".toCharArray())));
    }

    /** PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY". */
    static String encryptedPkcs8(KeyPair pair) throws Exception {
        return pem(new JcaPKCS8Generator(pair.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build()));
    }

    /** Writes {@code name.pem} (certificate) and {@code name.key} (PKCS#8) under {@code dir}. */
    static KeyPair writePair(Path dir, String name, String cn) throws Exception {
        KeyPair pair = ec();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".pem"), pem(selfSigned(pair, cn)));
        Files.writeString(dir.resolve(name + ".key"), pkcs8(pair));
        return pair;
    }
}
