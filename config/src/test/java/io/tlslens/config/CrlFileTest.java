package io.tlslens.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code backend.tls.crl}: CRL files in PEM or DER, and the problems of unusable ones. */
class CrlFileTest {
    @TempDir
    Path dir;
    private ConfFile conf;

    @BeforeEach
    void files() {
        conf = new ConfFile(dir);
    }

    private String listener(String crl) {
        return """
                tlslens.listeners = [ {
                  name = out, bind = "127.0.0.1:8080", mode = originate
                  backend {
                    address = "backend.internal:443"
                    tls {
                      enabled = true
                      crl = "%s"
                    }
                  }
                } ]
                """.formatted(crl);
    }

    @Test
    void pemAndDerCrlsLoad() throws Exception {
        KeyPair ca = TestPki.ec();
        X509Certificate caCert = TestPki.selfSigned(ca, "Backend CA");
        X509CRL crl = TestPki.crl(ca, caCert, BigInteger.valueOf(4242));
        Files.writeString(dir.resolve("ca.crl.pem"), TestPki.pem(crl));
        Files.write(dir.resolve("ca.crl.der"), crl.getEncoded());

        for (String file : List.of("ca.crl.pem", "ca.crl.der")) {
            List<X509CRL> crls = conf.load(listener(file)).listeners().get(0).backend().tls().crls();
            assertThat(crls).as(file).hasSize(1);
            assertThat(crls.get(0).getRevokedCertificate(BigInteger.valueOf(4242))).as(file).isNotNull();
        }
    }

    @Test
    void missingAndMalformedCrlFilesAreProblemsAtTheKey() throws Exception {
        Files.writeString(dir.resolve("junk.crl"), "not a CRL\n");
        for (String file : List.of("missing.crl", "junk.crl")) {
            ConfigProblem p = conf.onlyProblem(listener(file));
            assertThat(p.path()).isEqualTo("tlslens.listeners[0].backend.tls.crl");
            assertThat(p.origin()).isEqualTo(conf.path + ":7");
            assertThat(p.message()).startsWith("cannot read CRL file " + dir.resolve(file) + ": ");
            if (file.equals("missing.crl")) {
                assertThat(p.message()).endsWith(": no such file");
                assertThat(p.fix()).isEqualTo("check the path; relative paths resolve against " + dir);
            } else {
                assertThat(p.fix()).contains("openssl crl -noout -text -in FILE");
            }
        }
    }
}
