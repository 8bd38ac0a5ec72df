package io.tlslens.proxy;

import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real TLS backend: {@code openssl s_server -www} on a free loopback port, killed on close. */
final class OpensslServer implements AutoCloseable {
    final int port;
    private final Process process;

    /**
     * @param dir   where its log goes
     * @param cert  certificate file (leaf; s_server reads the first certificate)
     * @param chain intermediate(s) to send after the leaf, or null to send the leaf alone
     * @param extra further s_server options, e.g. {@code -tls1_2}, {@code -Verify 1 -CAfile root.pem}
     */
    OpensslServer(Path dir, Path cert, Path chain, String... extra) throws Exception {
        this.port = ProxyHarness.freePort();
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", cert.toString().replaceAll("\\.pem$", ".key"), "-www", "-naccept", "50"));
        if (chain != null) {
            cmd.addAll(List.of("-cert_chain", chain.toString()));
        }
        cmd.addAll(List.of(extra));
        Path log = dir.resolve("s_server-" + port + ".log");
        this.process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ProxyHarness.await(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("openssl s_server exited: " + cmd + "\n" + read(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (Exception e) {
                return false;
            }
        }, "openssl s_server on " + port);
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
