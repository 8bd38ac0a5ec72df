package io.tlslens.bench.soak;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A throw-away PKI for one soak run: a root CA and one ECDSA P-256 leaf for {@code localhost} issued by it,
 * written as PEM for tlslens, and the JDK contexts the soak peers use (clients trust the root and do not
 * check host names, so random SNI names complete their handshakes).
 */
final class Pki {
    final Path cert;
    final Path key;
    final SSLContext server;
    private final X509Certificate root;

    Pki(Path dir) throws Exception {
        Instant now = Instant.now();
        KeyPair rootKeys = ec();
        root = sign("CN=tlslens soak root", rootKeys, rootKeys, now, true);
        KeyPair leafKeys = ec();
        X509Certificate leaf = sign("CN=localhost", leafKeys, rootKeys, now, false);
        cert = dir.resolve("leaf.pem");
        key = dir.resolve("leaf.key");
        Files.writeString(cert, pem("CERTIFICATE", leaf.getEncoded()) + pem("CERTIFICATE", root.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", leafKeys.getPrivate().getEncoded()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("leaf", leafKeys.getPrivate(), new char[0], new Certificate[]{leaf, root});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
    }

    /** @return a new client context trusting the soak root (each has its own session cache) */
    SSLContext client() throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, KeyPair issuerKeys, Instant now, boolean ca)
            throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name(ca ? subject : "CN=tlslens soak root"),
                BigInteger.valueOf(now.toEpochMilli() + (ca ? 0 : 1)), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
