package io.tlslens.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();

    @TempDir
    Path dir;

    @BeforeEach
    void certs() throws Exception {
        TestPki.writePair(dir.resolve("certs"), "web", "web.example.com");
    }

    private Path write(String text) throws Exception {
        Path f = dir.resolve("tlslens.conf");
        Files.writeString(f, text);
        return f;
    }

    private static TlslensSettings load(Path f) throws InvalidConfigException {
        return ConfigLoader.load(f, CATALOG);
    }

    private static List<ConfigProblem> problems(Path f) {
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.load(f, CATALOG));
        assertThat(e).as("expected an InvalidConfigException").isNotNull();
        assertThat(e.getMessage().lines()).hasSize(e.problems().size());
        return e.problems();
    }

    /** @return the single problem at {@code path} */
    private static ConfigProblem problemAt(List<ConfigProblem> problems, String path) {
        List<ConfigProblem> at = problems.stream().filter(p -> p.path().equals(path)).toList();
        assertThat(at).as("problems at %s in %s", path, problems).hasSize(1);
        return at.get(0);
    }

    /** @return "file:line" of the first line of {@code text} containing {@code marker} */
    private static String at(Path f, String text, String marker) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return f + ":" + (i + 1);
            }
        }
        throw new AssertionError("no line with " + marker);
    }

    private static final String MINIMAL = """
            tlslens.listeners = [
              {
                name = web
                bind = "0.0.0.0:8443"
                tls.certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ]
                backend.address = "127.0.0.1:8080"
              }
            ]
            """;

    @Test
    void minimalListenerGetsEveryDefault() throws Exception {
        Path f = write(MINIMAL);
        TlslensSettings s = load(f);

        assertThat(s.source()).contains(f.toAbsolutePath().normalize());
        assertThat(s.admin()).isEqualTo(new AdminSettings(new HostPort("127.0.0.1", 9464), true));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.listeners()).hasSize(1);
        ListenerSettings l = s.listeners().get(0);
        assertThat(l.index()).isZero();
        assertThat(l.name()).isEqualTo("web");
        assertThat(l.bind()).isEqualTo(HostPort.parse("0.0.0.0:8443"));
        assertThat(l.mode()).isEqualTo(Mode.TERMINATE);
        assertThat(l.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(l.maxConnections()).isEqualTo(10000);
        assertThat(l.origin()).isEqualTo(at(f, MINIMAL, "{"));
        assertThat(l.keyPath("tls.policy")).isEqualTo("tlslens.listeners[0].tls.policy");

        FrontendTls tls = l.tls();
        assertThat(tls.certificates()).hasSize(1);
        CertificateKeyPair pair = tls.certificates().get(0);
        assertThat(pair.certFile()).isEqualTo(dir.resolve("certs/web.pem").toAbsolutePath().normalize());
        assertThat(pair.keyFile()).isEqualTo(dir.resolve("certs/web.key").toAbsolutePath().normalize());
        assertThat(pair.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=web.example.com");
        assertThat(pair.toString()).doesNotContain("PRIVATE").contains("web.pem");
        assertThat(tls.policy()).isEqualTo(FakeCatalog.INTERMEDIATE);
        assertThat(tls.requireSni()).isFalse();
        assertThat(tls.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(tls.clientCa()).isEmpty();
        assertThat(tls.clientTrust()).isEmpty();

        BackendSettings b = l.backend();
        assertThat(b.address()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(b.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.tls().enabled()).isFalse();
        assertThat(b.tls().trustFile()).isEmpty();
        assertThat(b.tls().verifyHostname()).isTrue();
        assertThat(b.tls().serverName()).isEmpty();
        assertThat(b.tls().certificate()).isEmpty();
        assertThat(b.tls().policy()).isEqualTo(FakeCatalog.INTERMEDIATE);
        assertThat(l.routes()).isEmpty();
    }

    @Test
    void fullConfigurationWithOverridesRoutesAndBackendTls() throws Exception {
        Path certs = dir.resolve("certs");
        TestPki.writePair(certs, "api", "api.example.com");
        TestPki.writePair(certs, "client", "tlslens-client");
        KeyPair ca = TestPki.ec();
        Files.writeString(certs.resolve("ca.pem"), TestPki.pem(TestPki.selfSigned(ca, "Clients CA")));
        Path f = write("""
                tlslens {
                  admin { bind = "127.0.0.1:9999", debug-endpoints = false }
                  drain-timeout = 0s
                  listeners = [
                    {
                      name = web
                      bind = "0.0.0.0:8443"
                      handshake-timeout = 3s
                      max-connections = 50
                      tls {
                        certificates = [
                          { cert = "certs/web.pem", key = "certs/web.key" }
                          { cert = "certs/api.pem", key = "certs/api.key" }
                        ]
                        protocols = ["TLSv1.3", "TLSv1.2"]
                        cipher-suites = ["ECDHE-RSA-AES128-GCM-SHA256", "TLS_AES_128_GCM_SHA256"]
                        require-sni = true
                        client-auth = optional
                        client-ca = "certs/ca.pem"
                        client-trust = "certs/ca.pem"
                      }
                      backend {
                        address = "backend.internal:8443"
                        connect-timeout = 750ms
                        tls {
                          enabled = true
                          trust = "certs/ca.pem"
                          server-name = "Backend.Internal"
                          verify-hostname = false
                          certificate { cert = "certs/client.pem", key = "certs/client.key" }
                          policy = modern
                        }
                      }
                    }
                    {
                      name = sni-router
                      bind = "[::1]:9443"
                      mode = passthrough
                      backend.address = "127.0.0.1:9000"
                      routes = [
                        { server-names = ["API.example.com", "*.api.example.com"], backend { address = "127.0.0.1:9001" } }
                      ]
                    }
                  ]
                }
                """);
        TlslensSettings s = load(f);

        assertThat(s.admin()).isEqualTo(new AdminSettings(new HostPort("127.0.0.1", 9999), false));
        assertThat(s.drainTimeout()).isZero();
        ListenerSettings web = s.listeners().get(0);
        assertThat(web.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(web.maxConnections()).isEqualTo(50);
        assertThat(web.tls().certificates()).extracting(p -> p.leaf().getSubjectX500Principal().getName())
                .containsExactly("CN=web.example.com", "CN=api.example.com");
        assertThat(web.tls().policy().name()).isEqualTo("intermediate+overrides");
        assertThat(web.tls().policy().versions()).containsExactly(0x0303, 0x0304);
        assertThat(web.tls().policy().cipherSuites()).containsExactly(0xc02f);
        assertThat(web.tls().policy().tls13CipherSuites()).containsExactly(0x1301);
        assertThat(web.tls().policy().groups()).isEqualTo(FakeCatalog.INTERMEDIATE.groups());
        assertThat(web.tls().requireSni()).isTrue();
        assertThat(web.tls().clientAuth()).isEqualTo(ClientAuth.OPTIONAL);
        assertThat(web.tls().clientCa()).contains(certs.resolve("ca.pem").toAbsolutePath().normalize());
        assertThat(web.tls().clientCaCertificates()).hasSize(1);
        assertThat(web.tls().clientTrust()).hasSize(1);

        BackendSettings b = web.backend();
        assertThat(b.address()).isEqualTo(new HostPort("backend.internal", 8443));
        assertThat(b.connectTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(b.tls().enabled()).isTrue();
        assertThat(b.tls().trustFile()).contains(certs.resolve("ca.pem").toAbsolutePath().normalize());
        assertThat(b.tls().trustCertificates()).hasSize(1);
        assertThat(b.tls().serverName()).contains("backend.internal");
        assertThat(b.tls().verifyHostname()).isFalse();
        assertThat(b.tls().certificate()).hasValueSatisfying(
                p -> assertThat(p.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=tlslens-client"));
        assertThat(b.tls().policy()).isEqualTo(FakeCatalog.MODERN);

        ListenerSettings router = s.listeners().get(1);
        assertThat(router.index()).isEqualTo(1);
        assertThat(router.bind()).isEqualTo(new HostPort("::1", 9443));
        assertThat(router.bind().toString()).isEqualTo("[::1]:9443");
        assertThat(router.mode()).isEqualTo(Mode.PASSTHROUGH);
        assertThat(router.tls().certificates()).isEmpty();
        assertThat(router.routes()).hasSize(1);
        Route r = router.routes().get(0);
        assertThat(r.serverNames()).containsExactly("api.example.com", "*.api.example.com");
        assertThat(r.backend().address()).isEqualTo(new HostPort("127.0.0.1", 9001));
        assertThat(r.backend().connectTimeout()).as("inherited from the listener's backend").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void listenerDefaultsCanBeOverriddenInTheUserFile() throws Exception {
        Path f = write("""
                tlslens.listener-defaults {
                  handshake-timeout = 2s
                  backend.connect-timeout = 1s
                  tls.require-sni = true
                }
                tlslens.listeners = [
                  { name = a, bind = "127.0.0.1:1001", tls.certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ], backend.address = "127.0.0.1:1" }
                  { name = b, bind = "127.0.0.1:1002", handshake-timeout = 7s, mode = passthrough, backend.address = "127.0.0.1:2" }
                ]
                """);
        TlslensSettings s = load(f);
        assertThat(s.listeners()).extracting(ListenerSettings::handshakeTimeout)
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(7));
        assertThat(s.listeners()).allSatisfy(l -> {
            assertThat(l.backend().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(l.tls().requireSni()).isTrue();
            assertThat(l.maxConnections()).isEqualTo(10000);
        });
    }

    @Test
    void absolutePathsAndTraditionalKeyFormatsLoad() throws Exception {
        Path keys = dir.resolve("elsewhere");
        Files.createDirectories(keys);
        KeyPair rsa = TestPki.rsa();
        Files.writeString(keys.resolve("rsa.pem"), TestPki.pem(TestPki.selfSigned(rsa, "rsa")));
        Files.writeString(keys.resolve("rsa.key"), TestPki.pkcs1(rsa));
        KeyPair ec = TestPki.ec();
        Files.writeString(keys.resolve("ec.pem"), TestPki.pem(TestPki.selfSigned(ec, "ec")));
        Files.writeString(keys.resolve("ec.key"), TestPki.sec1(ec));
        assertThat(Files.readString(keys.resolve("rsa.key"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(keys.resolve("ec.key"))).contains("BEGIN EC PRIVATE KEY");
        Path f = write("""
                tlslens.listeners = [ {
                  name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                  tls.certificates = [
                    { cert = "%1$s/rsa.pem", key = "%1$s/rsa.key" }
                    { cert = "%1$s/ec.pem", key = "%1$s/ec.key" }
                  ]
                } ]
                """.formatted(keys.toAbsolutePath()));
        List<CertificateKeyPair> pairs = load(f).listeners().get(0).tls().certificates();
        assertThat(pairs).extracting(p -> p.key().getAlgorithm()).containsExactly("RSA", "EC");
        assertThat(pairs.get(0).keyFile()).isEqualTo(keys.resolve("rsa.key").toAbsolutePath());
    }

    @Test
    void loadFromConfigObjectResolvesAgainstBaseDir() throws Exception {
        TlslensSettings s = ConfigLoader.load(ConfigFactory.parseString(MINIMAL), dir, CATALOG);
        assertThat(s.source()).isEmpty();
        assertThat(s.listeners().get(0).tls().certificates().get(0).certFile())
                .isEqualTo(dir.resolve("certs/web.pem").toAbsolutePath().normalize());
    }

    @Test
    void syntaxErrorIsReportedWithFileAndLine() throws Exception {
        String text = """
                tlslens {
                  admin { bind = "127.0.0.1:9464" }
                  listeners = [ { name = web,, } ]
                }
                """;
        Path f = write(text);
        ConfigProblem p = problems(f).get(0);
        assertThat(p.path()).isEqualTo("(syntax)");
        assertThat(p.origin()).isEqualTo(at(f, text, "listeners"));
        assertThat(p.toString()).startsWith("(syntax) (" + f + ":3): ").contains(" — fix: ");
    }

    @Test
    void missingConfigFile() {
        ConfigProblem p = problems(dir.resolve("nope.conf")).get(0);
        assertThat(p.path()).isEqualTo("(file)");
        assertThat(p.message()).contains("no such file");
    }

    @Test
    void missingAndUnusablePemFiles() throws Exception {
        Files.writeString(dir.resolve("certs/empty.pem"), "not a pem\n");
        KeyPair pair = TestPki.ec();
        Files.writeString(dir.resolve("certs/enc.pem"), TestPki.pem(TestPki.selfSigned(pair, "enc")));
        Files.writeString(dir.resolve("certs/enc.key"), TestPki.encryptedTraditional(pair));
        Files.writeString(dir.resolve("certs/enc8.key"), TestPki.encryptedPkcs8(pair));
        String text = """
                tlslens.listeners = [ {
                  name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                  tls.certificates = [
                    { cert = "certs/missing.pem",
                      key = "certs/web.key" }
                    { cert = "certs/empty.pem", key = "certs/web.key" }
                    { cert = "certs/web.pem",
                      key = "certs/web.pem" }
                    { cert = "certs/enc.pem",
                      key = "certs/enc.key" }
                    { cert = "certs/enc.pem",
                      key = "certs/enc8.key" }
                  ]
                } ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        String c = "tlslens.listeners[0].tls.certificates";

        ConfigProblem missing = problemAt(ps, c + "[0].cert");
        assertThat(missing.origin()).isEqualTo(at(f, text, "missing.pem"));
        assertThat(missing.message()).contains("no such file").contains(dir.resolve("certs/missing.pem").toString());
        assertThat(missing.fix()).isEqualTo("check the path; relative paths resolve against " + dir.toAbsolutePath().normalize());

        ConfigProblem noCert = problemAt(ps, c + "[1].cert");
        assertThat(noCert.origin()).isEqualTo(at(f, text, "empty.pem"));
        assertThat(noCert.message()).contains("no PEM certificate");

        ConfigProblem noKey = problemAt(ps, c + "[2].key");
        assertThat(noKey.origin()).isEqualTo(at(f, text, "key = \"certs/web.pem\""));
        assertThat(noKey.message()).contains("no PEM private key");

        assertThat(problemAt(ps, c + "[3].key").message()).contains("encrypted keys are not supported");
        assertThat(problemAt(ps, c + "[3].key").origin()).isEqualTo(at(f, text, "enc.key"));
        assertThat(problemAt(ps, c + "[4].key").message()).contains("encrypted keys are not supported");
        assertThat(ps).hasSize(5);
    }

    @Test
    void keyFromAnotherPairIsRejected() throws Exception {
        TestPki.writePair(dir.resolve("certs"), "other", "other");
        KeyPair rsa = TestPki.rsa();
        KeyPair rsa2 = TestPki.rsa();
        Files.writeString(dir.resolve("certs/rsa.pem"), TestPki.pem(TestPki.selfSigned(rsa, "rsa")));
        Files.writeString(dir.resolve("certs/rsa2.key"), TestPki.pkcs8(rsa2));
        String text = """
                tlslens.listeners = [ {
                  name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                  tls.certificates = [
                    { cert = "certs/web.pem", key = "certs/other.key" }
                    { cert = "certs/rsa.pem", key = "certs/rsa2.key" }
                    { cert = "certs/rsa.pem", key = "certs/web.key" }
                  ]
                } ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        assertThat(ps).hasSize(3);
        ConfigProblem p = problemAt(ps, "tlslens.listeners[0].tls.certificates[0].key");
        assertThat(p.origin()).isEqualTo(at(f, text, "other.key"));
        assertThat(p.message()).contains("does not match").contains("CN=web.example.com");
        assertThat(p.fix()).startsWith("cert and key are from different pairs: check `openssl x509 -noout -pubkey -in CERT` vs `openssl pkey -pubout -in KEY`");
        assertThat(problemAt(ps, "tlslens.listeners[0].tls.certificates[1].key").message()).contains("does not match");
        assertThat(problemAt(ps, "tlslens.listeners[0].tls.certificates[2].key").message()).contains("does not match");
    }

    @Test
    void unknownProtocolCipherSuiteAndPolicy() throws Exception {
        String text = """
                tlslens.listeners = [ {
                  name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                  tls {
                    certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ]
                    protocols = ["TLSv1.2",
                      "TLSv1.4"]
                    cipher-suites = ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                      "TLS_RSA_WITH_NOTHING"]
                  }
                  backend.tls.policy = strict
                } ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        assertThat(ps).hasSize(3);

        ConfigProblem proto = problemAt(ps, "tlslens.listeners[0].tls.protocols[1]");
        assertThat(proto.origin()).isEqualTo(at(f, text, "TLSv1.4"));
        assertThat(proto.message()).contains("TLSv1.4");
        assertThat(proto.fix()).contains("SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3");

        ConfigProblem suite = problemAt(ps, "tlslens.listeners[0].tls.cipher-suites[1]");
        assertThat(suite.origin()).isEqualTo(at(f, text, "NOTHING"));
        assertThat(suite.fix()).contains("IANA or OpenSSL name").contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

        ConfigProblem policy = problemAt(ps, "tlslens.listeners[0].backend.tls.policy");
        assertThat(policy.origin()).isEqualTo(at(f, text, "strict"));
        assertThat(policy.message()).contains("\"strict\"");
        assertThat(policy.fix()).isEqualTo("use one of: intermediate, modern");
    }

    @Test
    void protocolsAloneKeepThePolicyCiphers() throws Exception {
        Path f = write(MINIMAL.replace("backend.address", "tls.protocols = [\"TLSv1.3\"]\n    backend.address"));
        var policy = load(f).listeners().get(0).tls().policy();
        assertThat(policy.name()).isEqualTo("intermediate+overrides");
        assertThat(policy.versions()).containsExactly(0x0304);
        assertThat(policy.cipherSuites()).isEqualTo(FakeCatalog.INTERMEDIATE.cipherSuites());
        assertThat(policy.tls13CipherSuites()).isEqualTo(FakeCatalog.INTERMEDIATE.tls13CipherSuites());
    }

    @Test
    void listenerValueProblems() throws Exception {
        String text = """
                tlslens.listeners = [
                  {
                    name = "web server"
                    bind = "0.0.0.0:99999"
                    mode = bridge
                    handshake-timeout = 0s
                    max-connections = lots
                    backend.address = "localhost"
                  }
                ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        String l = "tlslens.listeners[0].";
        assertThat(problemAt(ps, l + "name").origin()).isEqualTo(at(f, text, "web server"));
        assertThat(problemAt(ps, l + "name").fix()).contains("1 to 64 letters");
        assertThat(problemAt(ps, l + "bind").message()).contains("malformed address").contains("99999");
        assertThat(problemAt(ps, l + "bind").origin()).isEqualTo(at(f, text, "99999"));
        assertThat(problemAt(ps, l + "mode").message()).contains("bridge");
        assertThat(problemAt(ps, l + "mode").fix()).contains("terminate, passthrough or originate");
        assertThat(problemAt(ps, l + "handshake-timeout").message()).contains("positive");
        ConfigProblem type = problemAt(ps, l + "max-connections");
        assertThat(type.origin()).isEqualTo(at(f, text, "lots"));
        assertThat(type.message()).contains("expected a positive whole number").contains("lots");
        assertThat(problemAt(ps, l + "backend.address").message()).contains("missing port");
        assertThat(ps).hasSize(6);
    }

    @Test
    void wrongTypesNameTheirOrigin() throws Exception {
        String text = """
                tlslens {
                  drain-timeout = [1, 2]
                  admin.debug-endpoints = maybe
                  listeners = [
                    { name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080",
                      tls = "yes please" }
                    42
                  ]
                }
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        assertThat(problemAt(ps, "tlslens.drain-timeout").origin()).isEqualTo(at(f, text, "drain-timeout"));
        assertThat(problemAt(ps, "tlslens.admin.debug-endpoints").origin()).isEqualTo(at(f, text, "maybe"));
        assertThat(problemAt(ps, "tlslens.admin.debug-endpoints").message()).contains("true or false");
        ConfigProblem tls = problemAt(ps, "tlslens.listeners[0].tls");
        assertThat(tls.origin()).isEqualTo(at(f, text, "yes please"));
        assertThat(tls.message()).contains("expected an object").contains("yes please");
        assertThat(problemAt(ps, "tlslens.listeners[1]").origin()).isEqualTo(at(f, text, "42"));
        assertThat(ps).hasSize(4);
    }

    @Test
    void duplicateNamesAndBindsAndAdminCollision() throws Exception {
        String text = """
                tlslens.admin.bind = "0.0.0.0:8443"
                tlslens.listeners = [
                  { name = web, bind = "127.0.0.1:8443", mode = passthrough, backend.address = "127.0.0.1:1" }
                  { name = web, bind = "127.0.0.1:9000", mode = passthrough, backend.address = "127.0.0.1:1" }
                  { name = other,
                    bind = "0.0.0.0:9000", mode = passthrough, backend.address = "127.0.0.1:1" }
                ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        ConfigProblem dupName = problemAt(ps, "tlslens.listeners[1].name");
        assertThat(dupName.message()).contains("duplicate listener name 'web'").contains("tlslens.listeners[0]");
        assertThat(dupName.origin()).isEqualTo(at(f, text, "9000\", mode"));
        ConfigProblem dupBind = problemAt(ps, "tlslens.listeners[2].bind");
        assertThat(dupBind.origin()).isEqualTo(at(f, text, "\"0.0.0.0:9000"));
        assertThat(dupBind.message()).contains("collides with tlslens.listeners[1]");
        ConfigProblem admin = problemAt(ps, "tlslens.admin.bind");
        assertThat(admin.origin()).isEqualTo(at(f, text, "admin.bind"));
        assertThat(ps).hasSize(3);
    }

    @Test
    void terminateNeedsCertificatesAndClientAuthNeedsCa() throws Exception {
        String text = """
                tlslens.listeners = [ {
                  name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                  tls {
                    client-auth = require
                  }
                } ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        ConfigProblem certs = problemAt(ps, "tlslens.listeners[0].tls.certificates");
        assertThat(certs.message()).contains("at least one certificate");
        assertThat(certs.origin()).as("a default from reference.conf: points at the listener").isEqualTo(at(f, text, "{"));
        ConfigProblem ca = problemAt(ps, "tlslens.listeners[0].tls.client-ca");
        assertThat(ca.origin()).isEqualTo(at(f, text, "client-auth"));
        assertThat(ca.fix()).contains("client-ca = ");
        assertThat(ps).hasSize(2);
    }

    @Test
    void originateNeedsBackendTlsAndRoutesAreChecked() throws Exception {
        String text = """
                tlslens.listeners = [ {
                  name = out, bind = "127.0.0.1:8080", mode = originate, backend.address = "example.com:443"
                  routes = [
                    { server-names = ["ok.example.com", "bad name"], backend.address = "127.0.0.1:1" }
                    { server-names = [] }
                  ]
                } ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        assertThat(problemAt(ps, "tlslens.listeners[0].backend.tls.enabled").fix()).contains("enabled = true");
        assertThat(problemAt(ps, "tlslens.listeners[0].routes[0].backend.tls.enabled")).isNotNull();
        assertThat(problemAt(ps, "tlslens.listeners[0].routes[0].server-names").message()).contains("bad name");
        List<ConfigProblem> second = ps.stream().filter(p -> p.path().startsWith("tlslens.listeners[0].routes[1]")).toList();
        assertThat(second).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "tlslens.listeners[0].routes[1].server-names", "tlslens.listeners[0].routes[1].backend");
    }

    @Test
    void passthroughBackendNoneMeansNoDefaultAndIsRefusedElsewhere() throws Exception {
        Path ok = write("""
                tlslens.listeners = [ {
                  name = sni, bind = "127.0.0.1:8443", mode = passthrough, backend.address = none
                  routes = [ { server-names = ["api.example.com"], backend.address = "127.0.0.1:9001" } ]
                } ]
                """);
        ListenerSettings l = load(ok).listeners().get(0);
        assertThat(l.backend().none()).isTrue();
        assertThat(l.routes().get(0).backend().none()).isFalse();
        assertThat(l.routes().get(0).backend().address()).isEqualTo(new HostPort("127.0.0.1", 9001));

        Path bad = write("""
                tlslens.listeners = [
                  { name = t, bind = "127.0.0.1:1", backend.address = none,
                    tls.certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ] }
                  { name = p, bind = "127.0.0.1:2", mode = passthrough, backend.address = none,
                    routes = [ { server-names = ["a.example.com"], backend.connect-timeout = 1s } ] }
                ]
                """);
        List<ConfigProblem> ps = problems(bad);
        assertThat(problemAt(ps, "tlslens.listeners[0].backend.address").message()).contains("only allowed with mode = passthrough");
        assertThat(problemAt(ps, "tlslens.listeners[1].routes[0].backend.address").message()).contains("route needs its own");
        assertThat(ps).hasSize(2);
    }

    @Test
    void severalProblemsAcrossListenersAreReportedTogether() throws Exception {
        String text = """
                tlslens.listeners = [
                  { name = a, bind = "nowhere", backend.address = "127.0.0.1:1",
                    tls.certificates = [ { cert = "certs/none.pem", key = "certs/web.key" } ] }
                  { name = b, bind = "127.0.0.1:2", mode = fancy, backend.address = "127.0.0.1:1",
                    tls.policy = paranoid }
                  { name = b, bind = "127.0.0.1:2", mode = passthrough, backend.address = "127.0.0.1:1" }
                ]
                """;
        Path f = write(text);
        InvalidConfigException e = catchThrowableOfType(InvalidConfigException.class, () -> ConfigLoader.load(f, CATALOG));
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "tlslens.listeners[0].bind", "tlslens.listeners[0].tls.certificates[0].cert",
                "tlslens.listeners[1].mode", "tlslens.listeners[1].tls.policy",
                "tlslens.listeners[2].name", "tlslens.listeners[2].bind");
        assertThat(e.getMessage().lines()).hasSize(6).allSatisfy(line -> assertThat(line).contains(f + ":").contains(" — fix: "));
    }

    @Test
    void noListenersIsAProblem() throws Exception {
        Path f = write("tlslens.admin.bind = \"127.0.0.1:9464\"\n");
        assertThat(problemAt(problems(f), "tlslens.listeners").message()).contains("no listeners");
    }

    @Test
    void environmentSubstitutionFailureIsReported() throws Exception {
        Path f = write(MINIMAL + "tlslens.drain-timeout = ${TLSLENS_TEST_SURELY_UNSET_VARIABLE}\n");
        ConfigProblem p = problems(f).get(0);
        assertThat(p.path()).isEqualTo("(substitution)");
        assertThat(p.origin()).isEqualTo(f + ":9");
    }

    @Test
    void problemToStringIsOneLine() {
        ConfigProblem p = new ConfigProblem("tlslens.listeners[0].bind", "a.conf:3", "bad\nthing", "do this");
        assertThat(p.toString()).isEqualTo("tlslens.listeners[0].bind (a.conf:3): bad thing — fix: do this");
        assertThat(new InvalidConfigException(List.of(p, p)).getMessage().lines()).hasSize(2);
    }

    @Test
    void optionalEmptyIsNotNull() throws Exception {
        assertThat(load(write(MINIMAL)).listeners().get(0).tls().clientCa()).isEqualTo(Optional.empty());
    }

    @Test
    void unknownKeysInListenersAreReportedWithASuggestion() throws Exception {
        String text = """
                tlslens.listener-defaults.handshake-timeot = 3s
                tlslens.listeners = [ {
                  name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                  handshake-timout = 3s
                  tls {
                    certificates = [ { cert = "certs/web.pem", key = "certs/web.key", chain = "x" } ]
                  }
                  backend.tls.server_name = "b"
                  frobnicate = true
                } ]
                """;
        Path f = write(text);
        List<ConfigProblem> ps = problems(f);
        ConfigProblem typo = problemAt(ps, "tlslens.listeners[0].handshake-timout");
        assertThat(typo.origin()).isEqualTo(at(f, text, "handshake-timout"));
        assertThat(typo.message()).isEqualTo("unknown key 'handshake-timout'");
        assertThat(typo.fix()).isEqualTo("did you mean 'handshake-timeout'?");
        assertThat(problemAt(ps, "tlslens.listener-defaults.handshake-timeot").fix()).contains("handshake-timeout");
        assertThat(problemAt(ps, "tlslens.listeners[0].tls.certificates[0].chain").fix()).contains("cert, key");
        assertThat(problemAt(ps, "tlslens.listeners[0].backend.tls.server_name").fix()).contains("'server-name'");
        assertThat(problemAt(ps, "tlslens.listeners[0].frobnicate").fix()).startsWith("remove it; keys here: backend, bind");
        assertThat(ps).hasSize(5);
    }

    @Test
    void protocolsWithoutMatchingCipherSuitesAreRejected() throws Exception {
        String listener = """
                tlslens.listeners = [ {
                  name = web, bind = "0.0.0.0:8443", backend.address = "127.0.0.1:8080"
                  tls {
                    certificates = [ { cert = "certs/web.pem", key = "certs/web.key" } ]
                    policy = modern
                    protocols = ["TLSv1.2", "TLSv1.3"]
                    %s
                  }
                } ]
                """;
        String text = listener.formatted("");
        Path f = write(text);
        ConfigProblem p = problemAt(problems(f), "tlslens.listeners[0].tls.protocols");
        assertThat(p.origin()).isEqualTo(at(f, text, "protocols"));
        assertThat(p.message()).contains("no TLS <= 1.2 cipher suites");

        // adding a TLS 1.2 suite fixes it, and the policy's TLS 1.3 list stays
        var policy = load(write(listener.formatted("cipher-suites = [\"ECDHE-ECDSA-AES128-GCM-SHA256\"]")))
                .listeners().get(0).tls().policy();
        assertThat(policy.versions()).containsExactly(0x0303, 0x0304);
        assertThat(policy.cipherSuites()).containsExactly(0xc02b);
        assertThat(policy.tls13CipherSuites()).isEqualTo(FakeCatalog.MODERN.tls13CipherSuites());
    }
}
