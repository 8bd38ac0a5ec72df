package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.proxy.runtime.Main;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaCertificateID;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tlslens probe} against real servers started here — {@code openssl s_server}, nginx and HAProxy configured
 * with the seed's settings, and a plain-HTTP {@code python3 -m http.server} — and its versions and cipher suites
 * against testssl.sh's for the same server.
 */
class ProbeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "web.example.test";

    @TempDir
    Path dir;
    TestPki pki;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void pki() throws Exception {
        pki = new TestPki(dir);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    // ---------------------------------------------------------------- openssl s_server

    @Test
    void tls12OnlyServerIsEnumeratedAndNothingIsWrong() throws Exception {
        Path cert = pki.files("web", pki.leaf(NAME), pki.intermediate.cert());
        int port = sServer(cert, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(r.exit).as("exit code; stdout:\n%s", r.stdout).isZero();
        assertThat(accepted(r.json)).containsExactly("TLS 1.2");
        assertThat(suites(r.json, "TLS 1.2")).containsExactlyInAnyOrder("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
        assertThat(version(r.json, "TLS 1.3").path("cipher_suites")).isEmpty();
        assertThat(strings(version(r.json, "TLS 1.2").path("signature_schemes"))).contains("ecdsa_secp256r1_sha256");
        assertThat(strings(version(r.json, "TLS 1.2").path("groups"))).contains("x25519", "secp256r1");
        JsonNode chain = chain(r.json, "name");
        assertThat(chain.path("sni").asText()).isEqualTo(NAME);
        assertThat(chain.path("certificates")).hasSize(2);
        assertThat(chain.path("certificates").get(0).path("san").get(0).asText()).isEqualTo("DNS:" + NAME);
        assertThat(chain.path("certificates").get(0).path("key").asText()).isEqualTo("ECDSA P-256");
        assertThat(chain.path("problems")).isEmpty();
        assertThat(chain.path("trusted").asBoolean()).isTrue();
        assertThat(r.json.path("ocsp_staple").path("present").asBoolean()).isFalse();
        assertThat(r.json.path("alpn")).isEmpty();
        assertThat(policy(r.json, "ELBSecurityPolicy-TLS-1-2-2017-01")).as("CBC-SHA is outside it").isFalse();
        assertThat(policy(r.json, "old")).isTrue();
        assertThat(r.json.path("corpus_clients").asInt()).isEqualTo(162);
        assertThat(causes(r.json, "failing_clients")).contains("protocol_version_mismatch"); // IE 6, Android 2.3 …
        assertThat(r.json.path("findings").findValuesAsText("severity")).doesNotContain("error", "warning");
    }

    @Test
    void tls13OnlyServerGivesItsChainAndStapleThroughARealHandshake() throws Exception {
        Path cert = pki.files("web13", pki.leaf(NAME), pki.intermediate.cert());
        X509Certificate served = certificates(cert).get(0);
        Path staple = ocspResponse(served, null, Duration.ofDays(2));
        int port = sServer(cert, "-tls1_3", "-status_file", staple.toString(), "-alpn", "h2");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(accepted(r.json)).containsExactly("TLS 1.3");
        assertThat(suites(r.json, "TLS 1.3")).containsExactlyInAnyOrder("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");
        assertThat(strings(version(r.json, "TLS 1.3").path("signature_schemes"))).containsExactly("ecdsa_secp256r1_sha256");
        assertThat(strings(version(r.json, "TLS 1.3").path("groups"))).contains("x25519", "secp256r1", "secp384r1");
        JsonNode chain = chain(r.json, "name");
        assertThat(chain.path("certificates")).as("chain learnt in TLS 1.3, where Certificate is encrypted").hasSize(2);
        assertThat(chain.path("certificates").get(0).path("serial").asText())
                .isEqualTo(served.getSerialNumber().toString(16).toUpperCase());
        assertThat(r.json.path("ocsp_staple").path("present").asBoolean()).isTrue();
        assertThat(r.json.path("ocsp_staple").path("status").asText()).isEqualTo("good");
        assertThat(r.json.path("ocsp_staple").path("signature_valid").asBoolean()).isTrue();
        assertThat(Instant.parse(r.json.path("ocsp_staple").path("next_update").asText()))
                .isAfter(Instant.now().plus(Duration.ofDays(1)));
        assertThat(strings(r.json.path("alpn"))).containsExactly("h2");
        assertThat(policy(r.json, "modern")).isTrue();
        assertThat(policy(r.json, "ELBSecurityPolicy-TLS-1-2-2017-01")).isFalse();
        // current TLS 1.2 clients (Android 7, Java 8u161 …) cannot connect to a TLS 1.3-only server
        assertThat(finding(r.json, "protocol_version_mismatch").path("severity").asText()).isEqualTo("warning");
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void staysWithinItsConnectionBudget() throws Exception {
        Path cert = pki.files("budget", pki.leaf(NAME), pki.intermediate.cert());
        int port = sServer(cert);

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--connections", "3");
        assertThat(r.json.path("connections").asInt()).isGreaterThan(50);
        assertThat(r.json.path("peak_connections").asInt()).isBetween(2, 3);

        Result tls13 = probe("127.0.0.1:" + sServer(cert, "-tls1_3"), "--servername", NAME, "--connections", "2");
        assertThat(tls13.json.path("chains").get(0).path("certificates")).as("real TLS 1.3 handshakes too").hasSize(2);
        assertThat(tls13.json.path("peak_connections").asInt()).isBetween(1, 2);
    }

    @Test
    void aRevokedStapleIsAnError() throws Exception {
        Path cert = pki.files("revoked", pki.leaf(NAME), pki.intermediate.cert());
        Path staple = ocspResponse(certificates(cert).get(0), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(1));
        int port = sServer(cert, "-tls1_2", "-status_file", staple.toString());

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(r.json.path("ocsp_staple").path("status").asText()).isEqualTo("revoked");
        assertThat(strings(chain(r.json, "name").path("problems"))).containsExactly("certificate_revoked");
        assertThat(finding(r.json, "certificate_revoked").path("severity").asText()).isEqualTo("error");
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void anExpiredCertificateIsAnError() throws Exception {
        Instant now = Instant.now();
        Path cert = pki.files("expired", pki.leaf(List.of(NAME), now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(3))), pki.intermediate.cert());
        int port = sServer(cert, "-tls1_2");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        JsonNode leaf = chain(r.json, "name").path("certificates").get(0);
        assertThat(leaf.path("days_left").asLong()).isLessThan(0);
        assertThat(strings(chain(r.json, "name").path("problems"))).containsExactly("certificate_expired");
        JsonNode f = finding(r.json, "certificate_expired");
        assertThat(f.path("severity").asText()).isEqualTo("error");
        assertThat(f.path("summary").asText()).contains("expired");
        assertThat(strings(f.path("hints"))).anyMatch(h -> h.startsWith("Renew"));
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void aChainServedOutOfOrderIsIncomplete() throws Exception {
        Path cert = pki.files("unordered", pki.leaf(NAME), pki.root.cert(), pki.intermediate.cert());
        int port = sServer(cert, "-tls1_2");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        JsonNode chain = chain(r.json, "name");
        assertThat(chain.path("certificates").findValuesAsText("role")).containsExactly("leaf", "root", "intermediate");
        assertThat(strings(chain.path("problems"))).containsExactly("certificate_chain_incomplete");
        assertThat(strings(chain.path("problem_details")).get(0)).contains("out of order");
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void aCertificateForAnotherNameIsAHostnameMismatch() throws Exception {
        Path cert = pki.files("other", pki.leaf("other.example.test"), pki.intermediate.cert());
        int port = sServer(cert, "-tls1_2");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        JsonNode chain = chain(r.json, "name");
        assertThat(chain.path("name_covered").asBoolean()).isFalse();
        assertThat(strings(chain.path("problems"))).containsExactly("certificate_hostname_mismatch");
        assertThat(finding(r.json, "certificate_hostname_mismatch").path("summary").asText())
                .contains("'" + NAME + "'", "DNS:other.example.test");
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void answersAgreeWithTestssl() throws Exception {
        Path cert = pki.files("cmp", pki.leaf(NAME), pki.intermediate.cert());
        int port = sServer(cert, "-min_protocol", "TLSv1",
                "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0",
                "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME);
        Map<String, Set<Integer>> ours = new TreeMap<>();
        for (JsonNode v : r.json.path("versions")) {
            if (v.path("accepted").asBoolean()) {
                Set<Integer> codes = new TreeSet<>();
                v.path("cipher_suites").forEach(s -> codes.add(TlsRegistry.cipherSuiteCode(s.asText()).orElseThrow()));
                ours.put(v.path("version").asText(), codes);
            }
        }

        Map<String, Set<Integer>> theirs = testssl(port);

        assertThat(ours).as("versions and cipher suites, tlslens probe vs testssl.sh").isEqualTo(theirs);
        assertThat(ours.keySet()).containsExactly("TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3");
    }

    // ---------------------------------------------------------------- nginx

    @Test
    void nginxWithAServerOrderedCipherListReportsThatOrder() throws Exception {
        Path cert = pki.files("web", pki.leaf(NAME), pki.intermediate.cert());
        int port = nginx(server(0, "ssl http2", NAME, cert, """
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_ciphers 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA256';
                ssl_prefer_server_ciphers on;
                """));

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(accepted(r.json)).containsExactly("TLS 1.2", "TLS 1.3");
        assertThat(suites(r.json, "TLS 1.2")).as("in nginx's ssl_ciphers order").containsExactly(
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
        assertThat(version(r.json, "TLS 1.2").path("server_order").asBoolean()).isTrue();
        assertThat(strings(version(r.json, "TLS 1.2").path("cipher_suites_openssl"))).startsWith("ECDHE-ECDSA-AES256-GCM-SHA384");
        assertThat(strings(r.json.path("alpn"))).containsExactly("h2", "http/1.1");
        assertThat(policy(r.json, "intermediate")).as("the CBC suite is outside Mozilla intermediate").isFalse();
        assertThat(policy(r.json, "ELBSecurityPolicy-TLS13-1-2-2021-06")).as("CHACHA20 is outside").isFalse();
        assertThat(policy(r.json, "old")).isTrue();
    }

    @Test
    void nginxBundleWithoutItsIntermediateIsAnIncompleteChain() throws Exception {
        Path cert = pki.files("leafonly", pki.leaf(NAME));
        int port = nginx(server(0, "ssl", NAME, cert, "ssl_protocols TLSv1.2 TLSv1.3;"));

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        JsonNode chain = chain(r.json, "name");
        assertThat(chain.path("certificates")).hasSize(1);
        assertThat(chain.path("complete").asBoolean()).isFalse();
        assertThat(strings(chain.path("problems"))).containsExactly("certificate_chain_incomplete");
        JsonNode f = finding(r.json, "certificate_chain_incomplete");
        assertThat(f.path("severity").asText()).isEqualTo("error");
        assertThat(f.path("summary").asText()).contains("CN=tlslens Test Intermediate");
        assertThat(strings(f.path("hints"))).anyMatch(h -> h.contains("cat server.crt intermediate.crt > bundle.crt"));
        assertThat(r.json.path("findings").get(0).path("severity").asText()).as("ranked: errors first").isEqualTo("error");
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void nginxTwoCertificatesChosenBySniWithADefault() throws Exception {
        Path fallback = pki.files("default", pki.leaf("default.example.test"), pki.intermediate.cert());
        Path named = pki.files("named", pki.leaf(NAME), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        int started = nginx(server(port, "ssl default_server", "default.example.test", fallback, "ssl_protocols TLSv1.2 TLSv1.3;")
                + server(port, "ssl", NAME, named, "ssl_protocols TLSv1.2 TLSv1.3;"));
        assertThat(started).isEqualTo(port);

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(san(chain(r.json, "name"))).isEqualTo("DNS:" + NAME);
        assertThat(san(chain(r.json, "none"))).isEqualTo("DNS:default.example.test");
        assertThat(san(chain(r.json, "unknown"))).isEqualTo("DNS:default.example.test");
        assertThat(chain(r.json, "name").path("problems")).isEmpty();
        assertThat(strings(chain(r.json, "none").path("problems"))).containsExactly("certificate_hostname_mismatch");
        JsonNode f = finding(r.json, "certificate_hostname_mismatch");
        assertThat(f.path("severity").asText()).as("only clients without SNI are affected").isEqualTo("warning");
        assertThat(f.path("summary").asText()).startsWith("clients without SNI only (they get CN=default.example.test)");
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void nginxThatRejectsAMissingSniIsSniMissing() throws Exception {
        Path named = pki.files("named", pki.leaf(NAME), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        nginx("server { listen 127.0.0.1:" + port + " ssl default_server; ssl_reject_handshake on; }\n"
                + server(port, "ssl", NAME, named, "ssl_protocols TLSv1.2 TLSv1.3;"));

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(chain(r.json, "name").path("certificates")).hasSize(2);
        assertThat(chain(r.json, "none").path("certificates")).isEmpty();
        assertThat(chain(r.json, "none").path("refusal").asText()).contains("unrecognized_name");
        assertThat(finding(r.json, "sni_missing").path("severity").asText()).isEqualTo("warning");
        assertThat(finding(r.json, "sni_unknown").path("severity").asText()).isEqualTo("info");
        assertThat(r.exit).isEqualTo(1);
    }

    // ---------------------------------------------------------------- HAProxy

    @Test
    void haproxyWithTheElbTls12PolicyListSatisfiesThatPolicy() throws Exception {
        TestPki.Issued leaf = pki.leafRsa(NAME);
        Path pem = dir.resolve("haproxy.pem");
        Files.writeString(pem, TestPki.pem(leaf.cert()) + TestPki.pkcs8(leaf.keys().getPrivate())
                + TestPki.pem(pki.intermediate.cert()));
        String elb = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA256:"
                + "ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-SHA384:"
                + "ECDHE-RSA-AES256-SHA384:AES128-GCM-SHA256:AES128-SHA256:AES256-GCM-SHA384:AES256-SHA256";
        int port = haproxy("ssl-default-bind-options ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.2 no-tls-tickets\n"
                + "  ssl-default-bind-ciphers " + elb, "ssl crt " + pem + " alpn h2,http/1.1");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(accepted(r.json)).containsExactly("TLS 1.2");
        assertThat(suites(r.json, "TLS 1.2")).as("the RSA half of the ELB list, in HAProxy's (server) order").containsExactly(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_RSA_WITH_AES_256_CBC_SHA256");
        assertThat(version(r.json, "TLS 1.2").path("server_order").asBoolean()).isTrue();
        assertThat(strings(version(r.json, "TLS 1.2").path("signature_schemes"))).contains("rsa_pss_rsae_sha256", "rsa_pkcs1_sha256");
        assertThat(chain(r.json, "name").path("certificates").get(0).path("key").asText()).isEqualTo("RSA 2048");
        assertThat(policy(r.json, "ELBSecurityPolicy-TLS-1-2-2017-01")).isTrue();
        assertThat(policy(r.json, "intermediate")).isFalse();
        assertThat(policy(r.json, "ELBSecurityPolicy-FS-1-2-2019-08")).as("RSA key exchange is not forward secret").isFalse();
        assertThat(strings(r.json.path("alpn"))).containsExactly("h2", "http/1.1");
    }

    @Test
    void haproxyStrictSniRefusesClientsWithoutSni() throws Exception {
        Path cert = pki.files("web", pki.leaf(NAME), pki.intermediate.cert());
        Path pem = dir.resolve("strict.pem");
        Files.writeString(pem, Files.readString(cert) + Files.readString(dir.resolve("web.key")));
        int port = haproxy("ssl-default-bind-options ssl-min-ver TLSv1.2", "ssl crt " + pem + " strict-sni");

        Result r = probe("127.0.0.1:" + port, "--servername", NAME, "--trust", root());

        assertThat(accepted(r.json)).containsExactly("TLS 1.2", "TLS 1.3");
        assertThat(chain(r.json, "none").path("certificates")).isEmpty();
        assertThat(finding(r.json, "sni_missing").path("summary").asText()).contains("without server_name");
        assertThat(r.json.path("failing_clients").findValuesAsText("cause")).contains("sni_missing");
    }

    // ---------------------------------------------------------------- not TLS, unreachable

    @Test
    void plainHttpIsNotTls() throws Exception {
        int port = ProxyHarness.freePort();
        start(List.of("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1", "--directory",
                dir.toString()), "http.log", port);

        Result r = probe("127.0.0.1:" + port);

        assertThat(r.json.path("versions")).isEmpty();
        assertThat(r.json.path("chains")).isEmpty();
        JsonNode f = finding(r.json, "not_tls");
        assertThat(f.path("severity").asText()).isEqualTo("error");
        assertThat(f.path("summary").asText()).contains("SSL_ERROR_RX_RECORD_TOO_LONG");
        assertThat(r.exit).isEqualTo(1);
    }

    @Test
    void aClosedPortIsRefusedAndExitsTwo() throws Exception {
        int port = ProxyHarness.freePort();
        Result r = probe("127.0.0.1:" + port);
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.stderr).contains("refused");
        assertThat(finding(r.json, "backend_connect_refused").path("summary").asText()).contains("refused");

        Result unresolvable = probe("no-such-host.invalid:443");
        assertThat(unresolvable.exit).isEqualTo(2);
        assertThat(unresolvable.stderr).contains("unreachable");

        Result usage = probe("no-port-given");
        assertThat(usage.exit).isEqualTo(2);
        assertThat(usage.stderr).contains("missing port");
        assertThat(probe("127.0.0.1:" + port, "--servername", "bücher.example").exit).isEqualTo(2);
        Result yaml = probe("127.0.0.1:" + port, "--output", "yaml");
        assertThat(yaml.exit).isEqualTo(2);
        assertThat(yaml.stderr).contains("yaml");
    }

    // ---------------------------------------------------------------- running the command

    record Result(int exit, JsonNode json, String stdout, String stderr) {
    }

    /** Runs {@code tlslens probe ARGS --output json} in-process (ARGS may choose another output). */
    private Result probe(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("probe"));
        all.addAll(List.of(args));
        if (!all.contains("--output")) {
            all.addAll(List.of("--output", "json"));
        }
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            rc = new CommandLine(new Main()).execute(all.toArray(String[]::new));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        JsonNode json = stdout.isBlank() ? JSON.createObjectNode() : JSON.readTree(stdout);
        return new Result(rc, json, stdout, err.toString(StandardCharsets.UTF_8));
    }

    private String root() {
        return dir.resolve("root.pem").toString();
    }

    // ---------------------------------------------------------------- servers

    private int sServer(Path cert, String... options) throws Exception {
        int port = ProxyHarness.freePort();
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", cert.toString().replaceAll("\\.pem$", ".key"), "-www", "-quiet"));
        List<X509Certificate> certs = certificates(cert);
        if (certs.size() > 1) {
            Path chain = dir.resolve("chain-" + port + ".pem");
            StringBuilder sb = new StringBuilder();
            for (X509Certificate c : certs.subList(1, certs.size())) {
                sb.append(TestPki.pem(c));
            }
            Files.writeString(chain, sb.toString());
            cmd.addAll(List.of("-cert_chain", chain.toString()));
        }
        cmd.addAll(List.of(options));
        return start(cmd, "s_server-" + port + ".log", port);
    }

    /** @return a server block listening on {@code port} (0: the port {@link #nginx} picks) */
    private static String server(int port, String listen, String name, Path cert, String extra) {
        return "server {\n  listen 127.0.0.1:" + (port == 0 ? "PORT" : port) + " " + listen + ";\n  server_name " + name + ";\n"
                + "  ssl_certificate " + cert + ";\n  ssl_certificate_key " + cert.toString().replaceAll("\\.pem$", ".key")
                + ";\n" + extra.indent(2) + "  location / { return 200 \"ok\\n\"; }\n}\n";
    }

    /** nginx in the foreground, one process, everything in the test directory. */
    private int nginx(String servers) throws Exception {
        Matcher m = Pattern.compile("listen 127\\.0\\.0\\.1:(\\d+)").matcher(servers);
        int port = m.find() ? Integer.parseInt(m.group(1)) : ProxyHarness.freePort();
        String conf = "master_process off;\npid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("nginx-error.log")
                + " info;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n"
                + temp("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
                + servers.replace("PORT", Integer.toString(port)).indent(2) + "}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        return start(List.of(binary("nginx"), "-p", dir.toString(), "-e", dir.resolve("nginx-error.log").toString(), "-c",
                file.toString(), "-g", "daemon off;"), "nginx.log", port);
    }

    /** Temporary file paths in the test directory, so nginx needs nothing under /var/lib/nginx. */
    private String temp(String... kinds) {
        StringBuilder sb = new StringBuilder();
        for (String k : kinds) {
            sb.append("  ").append(k).append("_temp_path ").append(dir.resolve(k + "_temp")).append(";\n");
        }
        return sb.toString();
    }

    /** HAProxy in the foreground ({@code -db}) with one HTTP frontend answering 200. */
    private int haproxy(String global, String bind) throws Exception {
        int port = ProxyHarness.freePort();
        String conf = "global\n  " + global + "\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 10s\n"
                + "  timeout server 10s\nfrontend https\n  bind 127.0.0.1:" + port + " " + bind + "\n"
                + "  http-request return status 200 content-type text/plain string ok\n";
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, conf);
        return start(List.of(binary("haproxy"), "-f", file.toString(), "-db"), "haproxy.log", port);
    }

    /** nginx and haproxy live in /usr/sbin, which is not on every user's PATH. */
    private static String binary(String name) {
        Path sbin = Path.of("/usr/sbin", name);
        return Files.isExecutable(sbin) ? sbin.toString() : name;
    }

    private int start(List<String> cmd, String logName, int port) throws Exception {
        Path log = dir.resolve(logName);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        ProxyHarness.await(() -> {
            if (!p.isAlive()) {
                throw new AssertionError(cmd + " exited:\n" + read(log));
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (Exception e) {
                return false;
            }
        }, cmd.get(0) + " on " + port);
        return port;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    private static List<X509Certificate> certificates(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        }
    }

    /** A DER OCSP response about {@code cert}, signed by the test intermediate: good, or revoked at {@code revokedAt}. */
    private Path ocspResponse(X509Certificate cert, Instant revokedAt, Duration validFor) throws Exception {
        CertificateID id = new JcaCertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                pki.intermediate.cert(), cert.getSerialNumber());
        BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(new JcaX509CertificateHolder(pki.intermediate.cert())
                .getSubject()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CertificateStatus status = revokedAt == null ? CertificateStatus.GOOD
                : new RevokedStatus(Date.from(revokedAt), CRLReason.keyCompromise);
        b.addResponse(id, status, Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validFor)));
        var basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pki.intermediate.keys().getPrivate()),
                null, Date.from(now));
        Path file = dir.resolve("ocsp-" + cert.getSerialNumber() + ".der");
        Files.write(file, new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded());
        return file;
    }

    /** testssl.sh's verdict: version display name → accepted cipher suite codes. */
    private Map<String, Set<Integer>> testssl(int port) throws Exception {
        Path out = dir.resolve("testssl.json");
        Path log = dir.resolve("testssl.log");
        Process p = new ProcessBuilder("testssl", "--quiet", "--color", "0", "--warnings", "off", "--jsonfile",
                out.toString(), "-p", "-E", "127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("testssl.sh finished").isTrue();
        JsonNode findings = JSON.readTree(out.toFile());
        Map<String, String> ids = Map.of("SSLv3", "SSL 3.0", "TLS1", "TLS 1.0", "TLS1_1", "TLS 1.1", "TLS1_2", "TLS 1.2",
                "TLS1_3", "TLS 1.3", "ssl3", "SSL 3.0", "tls1", "TLS 1.0", "tls1_1", "TLS 1.1", "tls1_2", "TLS 1.2",
                "tls1_3", "TLS 1.3");
        Map<String, Set<Integer>> result = new TreeMap<>();
        Set<String> offered = new LinkedHashSet<>();
        Pattern cipher = Pattern.compile("cipher-(ssl3|tls1|tls1_1|tls1_2|tls1_3)_x([0-9a-fA-F]+)");
        for (JsonNode f : findings) {
            String id = f.path("id").asText();
            if (ids.containsKey(id) && f.path("finding").asText().startsWith("offered")) {
                offered.add(ids.get(id));
            }
            Matcher m = cipher.matcher(id);
            if (m.matches()) {
                result.computeIfAbsent(ids.get(m.group(1)), k -> new TreeSet<>()).add(Integer.parseInt(m.group(2), 16));
            }
        }
        assertThat(result.keySet()).as("testssl.sh: versions with ciphers vs versions offered; log:\n%s", read(log))
                .isEqualTo(offered);
        return result;
    }

    // ---------------------------------------------------------------- JSON helpers

    private static List<String> accepted(JsonNode json) {
        List<String> out = new ArrayList<>();
        json.path("versions").forEach(v -> {
            if (v.path("accepted").asBoolean()) {
                out.add(v.path("version").asText());
            }
        });
        assertThat(json.path("versions").findValuesAsText("version"))
                .containsExactly("SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3");
        return out;
    }

    private static JsonNode version(JsonNode json, String name) {
        for (JsonNode v : json.path("versions")) {
            if (v.path("version").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no version " + name + " in " + json);
    }

    private static List<String> suites(JsonNode json, String version) {
        return strings(version(json, version).path("cipher_suites"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode chain(JsonNode json, String kind) {
        for (JsonNode c : json.path("chains")) {
            if (c.path("kind").asText().equals(kind)) {
                return c;
            }
        }
        throw new AssertionError("no chain " + kind + " in " + json.path("chains"));
    }

    private static String san(JsonNode chain) {
        return chain.path("certificates").get(0).path("san").get(0).asText();
    }

    private static boolean policy(JsonNode json, String name) {
        for (JsonNode p : json.path("policies")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("satisfied").asBoolean();
            }
        }
        throw new AssertionError("no policy " + name);
    }

    private static JsonNode finding(JsonNode json, String cause) {
        for (JsonNode f : json.path("findings")) {
            if (f.path("cause").asText().equals(cause)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + cause + " in " + json.path("findings").toPrettyString());
    }

    private static List<String> causes(JsonNode json, String field) {
        return json.path(field).findValuesAsText("cause");
    }
}
