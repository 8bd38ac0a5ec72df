package io.tlslens.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlslens.proxy.runtime.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 5: {@code tlslens compat} over the testssl.sh corpus, and {@code /debug/compatibility} with real openssl clients. */
class CompatibilityIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String compat(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "compat";
            System.arraycopy(args, 0, all, 1, args.length);
            int rc = new CommandLine(new Main()).execute(all);
            assertThat(rc).as("exit code of tlslens compat").isZero();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static String line(String table, String client) {
        return table.lines().filter(l -> l.startsWith(client)).findFirst().orElseThrow(() -> new AssertionError(
                "no row for " + client + " in\n" + table));
    }

    @Test
    void compatModernRejectsOldClients() {
        String t = compat("--policy", "modern");
        assertThat(line(t, "IE 6 XP")).contains("protocol_version_mismatch");
        assertThat(line(t, "Android 2.3.7")).contains("protocol_version_mismatch");
        assertThat(t).containsPattern("Chrome 10[0-9][^\\n]*ok +TLS 1\\.3");
        assertThat(t).containsPattern("policy modern, ECDSA certificate: \\d+ of 162 ClientHellos would fail");
    }

    @Test
    void compatOldAcceptsMost() {
        String t = compat("--policy", "old", "--key", "RSA");
        var m = java.util.regex.Pattern.compile("(\\d+) of 162 ClientHellos would fail").matcher(t);
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isLessThan(10);
        assertThat(line(t, "Android 2.3.7")).contains(" ok ");
    }

    @Test
    void compatReadsAFileOfHexClientHellos() throws Exception {
        Path dir = Files.createTempDirectory("tlslens-compat");
        Path f = dir.resolve("hellos.txt");
        // Chrome 101's ClientHello record from the corpus, under another name
        byte[] chrome = io.tlslens.inspector.corpus.ClientSimulationCorpus.readDefault().stream()
                .filter(c -> c.name().startsWith("Chrome 101")).findFirst().orElseThrow().handshakeBytes();
        Files.writeString(f, "# recorded\nmy browser\t" + java.util.HexFormat.of().formatHex(chrome) + "\n");
        String t = compat("--policy", "ELBSecurityPolicy-TLS13-1-2-2021-06", "--clients", f.toString());
        assertThat(line(t, "my browser")).contains("ok").contains("TLS 1.3");
        assertThat(t).contains("0 of 1 ClientHellos would fail");
    }

    @Test
    void debugCompatibilityJudgesTheTrafficSeen() throws Exception {
        Path dir = Files.createTempDirectory("tlslens-compat-it");
        TestPki pki = new TestPki(dir);
        Path good = pki.files("good", pki.leaf("localhost", "127.0.0.1"), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        try (ProxyHarness proxy = new ProxyHarness(dir)) {
            proxy.start(ProxyHarness.listener("compat", port, good, ProxyHarness.freePort(), "", ""));
            String addr = "127.0.0.1:" + port;
            ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr, "-servername", "localhost"), "Q\n");
            ProxyHarness.run(List.of("openssl", "s_client", "-connect", addr, "-servername", "localhost", "-tls1_1",
                    "-cipher", "DEFAULT@SECLEVEL=0"), "Q\n");
            ProxyHarness.await(() -> {
                try {
                    return JSON.readTree(proxy.get("/debug/compatibility?policy=intermediate").body())
                            .get("client_hellos").asLong() >= 2;
                } catch (Exception e) {
                    return false;
                }
            }, "two ClientHellos in /debug/compatibility");

            var res = proxy.get("/debug/compatibility?policy=intermediate&key=RSA");
            assertThat(res.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(res.body());
            assertThat(body.get("policy").asText()).isEqualTo("intermediate");
            assertThat(body.get("key").asText()).isEqualTo("RSA");
            assertThat(body.get("distinct_ja4").asInt()).isEqualTo(2);
            assertThat(body.get("failing").asLong()).isEqualTo(1);
            assertThat(body.get("failing_share").asDouble()).isEqualTo(0.5);
            assertThat(body.at("/causes/protocol_version_mismatch/ja4").get(0).asText()).startsWith("t11");
            assertThat(body.get("clients")).anySatisfy(c -> {
                assertThat(c.get("verdict").asText()).isEqualTo("ok");
                assertThat(c.get("version").asText()).isEqualTo("TLS 1.3");
            });

            var old = JSON.readTree(proxy.get("/debug/compatibility?policy=old").body());
            assertThat(old.get("failing").asLong()).isZero();

            var bad = proxy.get("/debug/compatibility?policy=nope");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("modern").contains("ELBSecurityPolicy-TLS13-1-2-2021-06");
        }
    }
}
