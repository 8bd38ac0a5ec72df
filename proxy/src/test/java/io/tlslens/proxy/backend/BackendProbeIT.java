package io.tlslens.proxy.backend;

import io.netty.channel.EventLoopGroup;
import io.tlslens.inspector.diagnosis.ProbedBackend;
import io.tlslens.proxy.ProxyHarness;
import io.tlslens.proxy.TestPki;
import io.tlslens.proxy.conn.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The backend probe against real openssl s_server backends: chain, versions, cipher choice, cache. */
class BackendProbeIT {
    @TempDir
    Path dir;
    final List<Process> processes = new ArrayList<>();
    final Transport transport = Transport.best();
    final EventLoopGroup group = transport.newGroup(1);

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    int sServer(String... options) throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("web.example.test"));
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, TestPki.pem(pki.intermediate.cert()));
        int port = ProxyHarness.freePort();
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", Integer.toString(port), "-cert",
                cert.toString(), "-key", dir.resolve("web.key").toString(), "-cert_chain", chain.toString(), "-www", "-quiet"));
        cmd.addAll(List.of(options));
        processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("s.log").toFile()).start());
        ProxyHarness.awaitListening(port);
        return port;
    }

    @Test
    void learnsTheChainAndTheVersionsTheBackendAccepts() throws Exception {
        int port = sServer("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        BackendProbe probe = new BackendProbe(group, transport, Duration.ofMinutes(10), Duration.ofSeconds(5));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        ProbedBackend r = probe.probe(address, "web.example.test").get(20, TimeUnit.SECONDS);
        assertThat(r.error()).isNull();
        assertThat(r.acceptedVersions()).containsExactly(0x0303);
        assertThat(r.describeChoices()).isEqualTo("TLS 1.2: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertThat(r.chain().chain()).hasSize(2);
        assertThat(r.chain().chain().get(0).subjectAltNames()).containsExactly("DNS:web.example.test");
        assertThat(probe.probe(address, "web.example.test")).as("cached").isCompletedWithValue(r);
    }

    @Test
    void legacyVersionsAreProbedToo() throws Exception {
        int port = sServer("-cipher", "DEFAULT@SECLEVEL=0", "-tls1_1");
        BackendProbe probe = new BackendProbe(group, transport, Duration.ofMinutes(10), Duration.ofSeconds(5));
        ProbedBackend r = probe.probe(new InetSocketAddress("127.0.0.1", port), null).get(20, TimeUnit.SECONDS);
        assertThat(r.acceptedVersions()).containsExactly(0x0302);
    }

    @Test
    void anUnreachableBackendIsAnErrorAndNotCached() throws Exception {
        BackendProbe probe = new BackendProbe(group, transport, Duration.ofMinutes(10), Duration.ofSeconds(2));
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", ProxyHarness.freePort());
        var first = probe.probe(nobody, "x.example.test");
        ProbedBackend r = first.get(20, TimeUnit.SECONDS);
        assertThat(r.error()).isNotNull();
        assertThat(r.accepted()).isEmpty();
        ProxyHarness.await(() -> probe.probe(nobody, "x.example.test") != first, "a fresh probe after a failed one");
    }
}
