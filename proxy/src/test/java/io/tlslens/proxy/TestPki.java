package io.tlslens.proxy;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test certificates made with Bouncy Castle: a root CA, an intermediate, and leaves with chosen names
 * and validity, written as PEM files for tlslens and for real clients (curl --cacert, openssl).
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate and its key. */
    public record Issued(X509Certificate cert, KeyPair keys) {
    }

    public final Path dir;
    public final Issued root;
    public final Issued intermediate;

    public TestPki(Path dir) throws Exception {
        this.dir = dir;
        Instant now = Instant.now();
        KeyPair rootKeys = ec();
        this.root = new Issued(build("CN=tlslens Test Root", rootKeys, "CN=tlslens Test Root", rootKeys,
                now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(3650)), true, List.of()), rootKeys);
        KeyPair interKeys = ec();
        this.intermediate = new Issued(build("CN=tlslens Test Intermediate", interKeys, "CN=tlslens Test Root", rootKeys,
                now.minus(Duration.ofDays(10)), now.plus(Duration.ofDays(1000)), true, List.of()), interKeys);
        write("root.pem", pem(root.cert()));
        write("intermediate.pem", pem(intermediate.cert()));
        write("intermediate.key", pkcs8(intermediate.keys().getPrivate()));
    }

    /** @return a leaf for {@code name} issued by the intermediate whose AIA names {@code ocspUrl} as its OCSP responder */
    public Issued leafWithOcsp(String name, String ocspUrl) throws Exception {
        KeyPair k = ec();
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=tlslens Test Intermediate"),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(90))), new X500Name("CN=" + name), k.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        b.addExtension(Extension.authorityInfoAccess, false, new org.bouncycastle.asn1.x509.AuthorityInformationAccess(
                org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp,
                new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
        X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(intermediate.keys().getPrivate())));
        return new Issued(c, k);
    }

    /** Writes {@code name}: a PEM CRL from the intermediate listing {@code revoked}. */
    public Path crl(String name, X509Certificate... revoked) throws Exception {
        Instant now = Instant.now();
        org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(
                new X500Name("CN=tlslens Test Intermediate"), Date.from(now.minus(Duration.ofMinutes(5))));
        b.setNextUpdate(Date.from(now.plus(Duration.ofDays(7))));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(1))),
                    org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
        }
        var holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(intermediate.keys().getPrivate()));
        return write(name, pem(new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(holder)));
    }

    /** Writes the intermediate-issued client certificate {@code name}.pem (leaf + intermediate) and .key. */
    public Path client(String name, String cn, Instant notBefore, Instant notAfter) throws Exception {
        return files(name, leaf(List.of(cn), notBefore, notAfter), intermediate.cert());
    }

    /** @return a second, unrelated root CA and an end-entity certificate it issued directly, as files {@code name}.pem/.key */
    public Path foreign(String name, String cn) throws Exception {
        KeyPair rootKeys = ec();
        Instant now = Instant.now();
        KeyPair k = ec();
        X509Certificate c = build("CN=" + cn, k, "CN=Foreign Root", rootKeys, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), false, List.of(cn));
        return files(name, new Issued(c, k));
    }

    /** @return a leaf for {@code names} issued by the intermediate, valid from {@code notBefore} to {@code notAfter} */
    public Issued leaf(List<String> names, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair k = ec();
        return new Issued(build("CN=" + names.get(0), k, "CN=tlslens Test Intermediate", intermediate.keys(), notBefore,
                notAfter, false, names), k);
    }

    /** @return a valid leaf for {@code names} issued by the intermediate */
    public Issued leaf(String... names) throws Exception {
        Instant now = Instant.now();
        return leaf(List.of(names), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)));
    }

    /** @return a valid leaf with an RSA 2048 key for {@code names}, issued by the (ECDSA) intermediate */
    public Issued leafRsa(String... names) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair k = g.generateKeyPair();
        Instant now = Instant.now();
        return new Issued(build("CN=" + names[0], k, "CN=tlslens Test Intermediate", intermediate.keys(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), false, List.of(names)), k);
    }

    /** @return a self-signed leaf for {@code names} */
    public Issued selfSigned(String... names) throws Exception {
        KeyPair k = ec();
        Instant now = Instant.now();
        return new Issued(build("CN=" + names[0], k, "CN=" + names[0], k, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(90)), false, List.of(names)), k);
    }

    /**
     * Writes {@code name}.pem (the given certificates, in order) and {@code name}.key.
     *
     * @return the certificate file; the key file is beside it with suffix .key
     */
    public Path files(String name, Issued leaf, X509Certificate... chainAfterLeaf) throws Exception {
        StringBuilder sb = new StringBuilder(pem(leaf.cert()));
        for (X509Certificate c : chainAfterLeaf) {
            sb.append(pem(c));
        }
        Path cert = write(name + ".pem", sb.toString());
        write(name + ".key", pkcs8(leaf.keys().getPrivate()));
        return cert;
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    public static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    /** @return the key as a PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), as openssl writes it */
    public static String pkcs8(java.security.PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate build(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                         Instant notBefore, Instant notAfter, boolean ca, List<String> dnsNames)
            throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                new X500Name(subject), subjectKeys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, ca ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                : new KeyUsage(KeyUsage.digitalSignature));
        if (!dnsNames.isEmpty()) {
            GeneralName[] names = dnsNames.stream().map(n -> n.matches("[0-9.]+")
                    ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    /**
     * @param root the only CA to trust
     * @return a JDK client context (TLS 1.3 and 1.2) that verifies peers with PKIX against {@code root} alone
     */
    public static SSLContext trusting(X509Certificate root) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * @param rootPem a PEM file holding the only CA to trust
     * @return as {@link #trusting(X509Certificate)}
     */
    public static SSLContext trusting(Path rootPem) throws Exception {
        try (InputStream in = Files.newInputStream(rootPem)) {
            return trusting((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }
}
