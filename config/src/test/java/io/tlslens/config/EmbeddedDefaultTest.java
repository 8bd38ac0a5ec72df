package io.tlslens.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDefaultTest {
    @TempDir
    Path dir;

    @Test
    void servesLocalhostWithAFreshSelfSignedP256Certificate() throws Exception {
        Path out = dir.resolve("state");
        TlslensSettings s = ConfigLoader.embeddedDefault(out, new FakeCatalog());

        assertThat(s.source()).isEmpty();
        assertThat(s.admin().bind()).isEqualTo(new HostPort("127.0.0.1", 9464));
        assertThat(s.listeners()).hasSize(1);
        ListenerSettings l = s.listeners().get(0);
        assertThat(l.name()).isEqualTo("default");
        assertThat(l.bind()).isEqualTo(new HostPort("127.0.0.1", 8443));
        assertThat(l.mode()).isEqualTo(Mode.TERMINATE);
        assertThat(l.backend().address()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(l.backend().tls().enabled()).isFalse();
        assertThat(l.origin()).startsWith("embedded default");

        CertificateKeyPair pair = l.tls().certificates().get(0);
        assertThat(pair.certFile()).isEqualTo(out.resolve(SelfSigned.CERT_FILE).toAbsolutePath());
        X509Certificate leaf = pair.leaf();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(leaf.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(((ECPublicKey) leaf.getPublicKey()).getParams().toString()).contains("secp256r1");
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        leaf.verify(leaf.getPublicKey());
        Instant now = Instant.now();
        assertThat(leaf.getNotBefore().toInstant()).isBetween(now.minus(Duration.ofDays(1)).minusSeconds(60), now.minus(Duration.ofHours(23)));
        assertThat(leaf.getNotAfter().toInstant()).isBetween(now.plus(Duration.ofDays(90)).minusSeconds(60), now.plus(Duration.ofDays(90)).plusSeconds(60));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);

        Path key = out.resolve(SelfSigned.KEY_FILE);
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(pair.certFile())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Pem.matches(pair.key(), leaf.getPublicKey())).isTrue();
    }

    @Test
    void regeneratesOverExistingFiles() throws Exception {
        X509Certificate first = ConfigLoader.embeddedDefault(dir, new FakeCatalog()).listeners().get(0).tls().certificates().get(0).leaf();
        X509Certificate second = ConfigLoader.embeddedDefault(dir, new FakeCatalog()).listeners().get(0).tls().certificates().get(0).leaf();
        assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SelfSigned.KEY_FILE)))).isEqualTo("rw-------");
    }
}
