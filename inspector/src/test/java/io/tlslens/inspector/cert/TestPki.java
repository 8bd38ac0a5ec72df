package io.tlslens.inspector.cert;

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
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds test certificates with Bouncy Castle: roots, intermediates and leaves with chosen names, dates and keys. */
public final class TestPki {
    private TestPki() {
    }

    /** A certificate and its key pair. */
    public record Issued(X509Certificate cert, KeyPair keys) {
    }

    public enum Alg { EC, RSA }

    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static KeyPair cachedRsa;

    public static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");

    public static KeyPair keys(Alg alg) {
        try {
            if (alg == Alg.EC) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                return g.generateKeyPair();
            }
            synchronized (TestPki.class) { // RSA key generation is slow: one key is enough for the tests
                if (cachedRsa == null) {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    cachedRsa = g.generateKeyPair();
                }
                return cachedRsa;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options for one certificate. */
    public static final class Spec {
        String subject;
        Instant notBefore = NOW.minus(Duration.ofDays(30));
        Instant notAfter = NOW.plus(Duration.ofDays(60));
        Alg alg = Alg.EC;
        boolean ca;
        boolean keyIds = true;
        final List<GeneralName> sans = new ArrayList<>();

        public Spec(String subject) {
            this.subject = subject;
        }

        public Spec ca() {
            this.ca = true;
            return this;
        }

        public Spec rsa() {
            this.alg = Alg.RSA;
            return this;
        }

        public Spec validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        public Spec dns(String... names) {
            for (String n : names) {
                sans.add(new GeneralName(GeneralName.dNSName, n));
            }
            return this;
        }

        public Spec ip(String... addrs) {
            for (String a : addrs) {
                sans.add(new GeneralName(GeneralName.iPAddress, a));
            }
            return this;
        }

        public Spec noKeyIds() {
            this.keyIds = false;
            return this;
        }
    }

    public static Issued selfSigned(Spec s) {
        KeyPair kp = keys(s.alg);
        return new Issued(build(s, kp, s.subject, kp), kp);
    }

    public static Issued issue(Spec s, Issued issuer) {
        KeyPair kp = keys(s.alg);
        return new Issued(build(s, kp, issuer.cert().getSubjectX500Principal().getName(), issuer.keys()), kp);
    }

    public static Issued root(String cn) {
        return selfSigned(new Spec("CN=" + cn).ca());
    }

    public static Issued intermediate(String cn, Issued issuer) {
        return issue(new Spec("CN=" + cn).ca(), issuer);
    }

    public static Issued leaf(String cn, Issued issuer, String... dns) {
        return issue(new Spec("CN=" + cn).dns(dns), issuer);
    }

    private static X509Certificate build(Spec s, KeyPair subjectKeys, String issuerDn, KeyPair issuerKeys) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(s.notBefore), Date.from(s.notAfter),
                    new X500Name(s.subject), subjectKeys.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            if (s.keyIds) {
                b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(subjectKeys.getPublic()));
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        u.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            }
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(s.ca));
            b.addExtension(Extension.keyUsage, true, s.ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!s.sans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(s.sans.toArray(new GeneralName[0])));
            }
            String sigAlg = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(sigAlg).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
