package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlslens.proxy.admin.ExplainCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tlslens explain} on what real clients print for real failures: openssl s_server with an expired
 * certificate, a certificate for another name, a self-signed one, a leaf without its intermediate, TLS 1.2 only
 * (the client forces TLS 1.3), a cipher suite the client does not offer, and a plain-HTTP python3 http.server.
 * Each client — curl, openssl s_client, the JDK (in-process), python3, gnutls-cli (skipped only when not
 * installed) — runs against each, its own error output is fed to the command class ({@code --output json -},
 * text on stdin) and the true cause must be ranked first.
 * <p>
 * One exception, asserted as such: the JDK says exactly the same for a self-signed certificate and for a missing
 * intermediate ("PKIX path building failed … unable to find valid certification path"), so no reading of that
 * text can rank both first; there the true cause must be the second candidate, after the one the self-signed
 * case gets, and the candidates' checks must include the {@code -showcerts} command that tells them apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainIT {
    enum Fault {
        EXPIRED("certificate_expired"), WRONG_NAME("certificate_hostname_mismatch"), SELF_SIGNED("certificate_untrusted"),
        MISSING_INTERMEDIATE("certificate_chain_incomplete"), TLS12_ONLY("protocol_version_mismatch"),
        CIPHER_MISMATCH("no_shared_cipher"), PLAIN_HTTP("not_tls");

        final String cause;

        Fault(String cause) {
            this.cause = cause;
        }
    }

    enum Client { CURL, OPENSSL, JDK, PYTHON, GNUTLS }

    /** The cipher suite the clients insist on in CIPHER_MISMATCH; the server offers only ECDHE-ECDSA-AES128-SHA. */
    private static final String CLIENT_CIPHER = "ECDHE-ECDSA-AES256-GCM-SHA384";
    private static final String CLIENT_CIPHER_IANA = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";

    private Path dir;
    private Path root;
    private final Map<Fault, Integer> ports = new LinkedHashMap<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    private Process httpServer;
    private boolean gnutls;
    /** case → first cause, printed at the end for the README. */
    private final Map<String, String> table = new ConcurrentSkipListMap<>();

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tlslens-explain-it");
        TestPki pki = new TestPki(dir);
        root = dir.resolve("root.pem");
        Path inter = dir.resolve("intermediate.pem");
        Instant now = Instant.now();
        Path expired = pki.files("expired", pki.leaf(List.of("localhost"), now.minus(Duration.ofDays(100)),
                now.minus(Duration.ofDays(10))));
        Path wrong = pki.files("wrong", pki.leaf("other.example"));
        Path self = pki.files("self", pki.selfSigned("localhost"));
        Path good = pki.files("good", pki.leaf("localhost"));
        ports.put(Fault.EXPIRED, serve(expired, inter));
        ports.put(Fault.WRONG_NAME, serve(wrong, inter));
        ports.put(Fault.SELF_SIGNED, serve(self, null));
        ports.put(Fault.MISSING_INTERMEDIATE, serve(good, null));
        ports.put(Fault.TLS12_ONLY, serve(good, inter, "-tls1_2"));
        ports.put(Fault.CIPHER_MISMATCH, serve(good, inter, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA"));
        int http = ProxyHarness.freePort();
        httpServer = new ProcessBuilder("python3", "-m", "http.server", Integer.toString(http), "--bind", "127.0.0.1",
                "--directory", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("http.log").toFile()).start();
        ProxyHarness.awaitListening(http);
        ports.put(Fault.PLAIN_HTTP, http);
        gnutls = onPath("gnutls-cli");
    }

    private int serve(Path cert, Path chain, String... extra) throws Exception {
        OpensslServer s = new OpensslServer(dir, cert, chain, extra);
        servers.add(s);
        return s.port;
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        if (httpServer != null) {
            httpServer.destroy();
            httpServer.waitFor(5, TimeUnit.SECONDS);
        }
        System.out.println("ExplainIT: fault × client → first candidate" + (gnutls ? "" : " (gnutls-cli not installed: skipped)"));
        table.forEach((k, v) -> System.out.println("  " + k + " → " + v));
    }

    Stream<Arguments> cases() {
        return Arrays.stream(Fault.values()).flatMap(f -> Arrays.stream(Client.values()).map(c -> Arguments.of(f, c)));
    }

    @ParameterizedTest(name = "{0} seen by {1}")
    @MethodSource("cases")
    void theTrueCauseIsRankedFirst(Fault fault, Client client) throws Exception {
        assumeTrue(client != Client.GNUTLS || gnutls, "gnutls-cli is not installed");
        String said = failure(fault, client);
        JsonNode json = explainJson(said);
        assertThat(json.get("input").asText()).isEqualTo(said.strip());
        List<String> causes = new ArrayList<>();
        json.get("candidates").forEach(c -> causes.add(c.get("cause").asText()));
        table.put(fault + " / " + client, causes.isEmpty() ? "(not recognised)" : causes.get(0));
        assertThat(causes).as("%s told by %s:%n%s", fault, client, said).isNotEmpty();
        if (fault == Fault.MISSING_INTERMEDIATE && client == Client.JDK) {
            String selfSigned = failure(Fault.SELF_SIGNED, Client.JDK);
            assertThat(said).as("the JDK's words for both faults").isEqualTo(selfSigned);
            assertThat(causes).as("%s told by %s:%n%s", fault, client, said)
                    .containsSubsequence(Fault.SELF_SIGNED.cause, fault.cause);
            assertThat(causes.indexOf(fault.cause)).isEqualTo(1);
            assertThat(json.toString()).contains("-showcerts");
            return;
        }
        assertThat(causes.get(0)).as("%s told by %s:%n%s%ncandidates %s", fault, client, said, causes).isEqualTo(fault.cause);
        json.get("candidates").forEach(c -> {
            assertThat(c.get("why").asText()).isNotBlank();
            assertThat(c.get("checks")).isNotEmpty();
        });
    }

    @Test
    void textOutputNamesTheCauseAndTheCommandThatDecides() throws Exception {
        String said = failure(Fault.EXPIRED, Client.CURL);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new CommandLine(new ExplainCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                java.io.InputStream.nullInputStream())).execute(said.strip());
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println("ExplainIT: tlslens explain \"" + said.lines().findFirst().orElse("") + "\"\n" + text);
        assertThat(exit).isZero();
        assertThat(text).contains("1. certificate_expired").contains("check: ").contains("openssl x509 -noout -dates");
    }

    @Test
    void unrecognisedTextHasNoCandidatesAndExitsOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(new ExplainCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), java.io.InputStream.nullInputStream()))
                .execute("--output", "json", "the website is slow today");
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(json.get("input").asText()).isEqualTo("the website is slow today");
        assertThat(json.get("candidates")).isEmpty();
        assertThat(json.size()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not recognised");
        int usage = new CommandLine(new ExplainCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), java.io.InputStream.nullInputStream())).execute("--output", "xml", "x");
        assertThat(usage).isEqualTo(2);
    }

    /** Runs the command class as {@code tlslens explain --output json -} with the client's words on stdin. */
    private static JsonNode explainJson(String said) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CommandLine(new ExplainCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(said.getBytes(StandardCharsets.UTF_8))))
                .execute("--output", "json", "-");
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(json.get("candidates").isEmpty() ? 1 : 0);
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("input", "candidates");
        json.get("candidates").forEach(c -> {
            List<String> f = new ArrayList<>();
            c.fieldNames().forEachRemaining(f::add);
            assertThat(f).containsExactly("cause", "why", "checks");
        });
        return json;
    }

    /** @return what the client printed when it failed against the server with this fault */
    private String failure(Fault fault, Client client) throws Exception {
        int port = ports.get(fault);
        return switch (client) {
            case CURL -> process(curl(fault, port), false);
            case OPENSSL -> process(sClient(fault, port), true);
            case PYTHON -> process(List.of("python3", "-c", PYTHON, root.toString(), Integer.toString(port), fault.name()), false);
            case GNUTLS -> process(gnutlsCli(fault, port), true);
            case JDK -> jdk(fault, port);
        };
    }

    private List<String> curl(Fault fault, int port) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "--cacert", root.toString(), "-o", "/dev/null"));
        if (fault == Fault.TLS12_ONLY) {
            cmd.add("--tlsv1.3");
        } else if (fault == Fault.CIPHER_MISMATCH) {
            cmd.addAll(List.of("--tlsv1.2", "--tls-max", "1.2", "--ciphers", CLIENT_CIPHER));
        }
        cmd.add("https://localhost:" + port + "/");
        return cmd;
    }

    private List<String> sClient(Fault fault, int port) {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "localhost", "-CAfile", root.toString(), "-verify_return_error", "-verify_hostname", "localhost"));
        if (fault == Fault.TLS12_ONLY) {
            cmd.add("-tls1_3");
        } else if (fault == Fault.CIPHER_MISMATCH) {
            cmd.addAll(List.of("-tls1_2", "-cipher", CLIENT_CIPHER));
        }
        return cmd;
    }

    private List<String> gnutlsCli(Fault fault, int port) {
        List<String> cmd = new ArrayList<>(List.of("gnutls-cli", "--x509cafile", root.toString(), "-p", Integer.toString(port)));
        if (fault == Fault.TLS12_ONLY) {
            cmd.add("--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3");
        } else if (fault == Fault.CIPHER_MISMATCH) {
            cmd.add("--priority=NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM");
        }
        cmd.add("localhost");
        return cmd;
    }

    /** python3: urllib over an ssl context trusting the test root; argv: root, port, fault. */
    private static final String PYTHON = String.join("\n",
            "import ssl, sys, urllib.request",
            "ctx = ssl.create_default_context(cafile=sys.argv[1])",
            "if sys.argv[3] == 'TLS12_ONLY': ctx.minimum_version = ssl.TLSVersion.TLSv1_3",
            "if sys.argv[3] == 'CIPHER_MISMATCH':",
            "    ctx.maximum_version = ssl.TLSVersion.TLSv1_2",
            "    ctx.set_ciphers('" + CLIENT_CIPHER + "')",
            "urllib.request.urlopen('https://localhost:%s/' % sys.argv[2], context=ctx, timeout=10)");

    /** @return the client's own output: stderr (plus stdout for CLIs that report there); fails if it succeeded */
    private static String process(List<String> cmd, boolean withStdout) throws Exception {
        ProxyHarness.Run r = ProxyHarness.run(cmd);
        assertThat(r.exit()).as("%s should fail:%n%s%n%s", cmd, r.stdout(), r.stderr()).isNotZero();
        return withStdout ? r.stderr() + r.stdout() : r.stderr();
    }

    /** The JDK in-process: HttpsURLConnection for certificate faults, an SSLSocket pinned to a version or suite otherwise. */
    private String jdk(Fault fault, int port) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (var in = Files.newInputStream(root)) {
            ks.setCertificateEntry("root", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try {
            if (fault == Fault.TLS12_ONLY || fault == Fault.CIPHER_MISMATCH) {
                try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", port)) {
                    s.setSoTimeout(10_000);
                    if (fault == Fault.TLS12_ONLY) {
                        s.setEnabledProtocols(new String[] {"TLSv1.3"});
                    } else {
                        s.setEnabledProtocols(new String[] {"TLSv1.2"});
                        s.setEnabledCipherSuites(new String[] {CLIENT_CIPHER_IANA});
                    }
                    s.startHandshake();
                }
            } else {
                HttpsURLConnection c = (HttpsURLConnection) new URL("https://localhost:" + port + "/").openConnection();
                c.setSSLSocketFactory(ctx.getSocketFactory());
                c.setConnectTimeout(10_000);
                c.setReadTimeout(10_000);
                c.getResponseCode();
            }
        } catch (java.io.IOException e) {
            return e.toString();
        }
        throw new AssertionError("the JDK client succeeded against " + fault);
    }

    private static boolean onPath(String binary) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
    }
}
