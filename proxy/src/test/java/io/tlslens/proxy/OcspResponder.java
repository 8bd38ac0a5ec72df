package io.tlslens.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * A real OCSP responder: {@code openssl ocsp -index} on a free loopback port, answering for
 * certificates the test PKI's intermediate issued, signed with the intermediate's key.
 */
final class OcspResponder implements AutoCloseable {
    private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    final int port;
    private final Process process;

    /**
     * @param dir     test directory holding intermediate.pem and intermediate.key
     * @param cert    the certificate the index lists
     * @param revoked whether it is listed as revoked (else valid)
     */
    OcspResponder(Path dir, int port, X509Certificate cert, boolean revoked) throws Exception {
        this.port = port;
        String serial = cert.getSerialNumber().toString(16).toUpperCase();
        serial = serial.length() % 2 == 0 ? serial : "0" + serial; // openssl's index holds whole bytes
        String expiry = OPENSSL_TIME.format(cert.getNotAfter().toInstant());
        String line = revoked
                ? "R\t" + expiry + "\t" + OPENSSL_TIME.format(Instant.now().minusSeconds(3600)) + "\t" + serial
                : "V\t" + expiry + "\t\t" + serial;
        Path index = dir.resolve("index-" + port + ".txt");
        Files.writeString(index, line + "\tunknown\t" + "/" + cert.getSubjectX500Principal().getName() + "\n");
        Path log = dir.resolve("ocsp-" + port + ".log");
        process = new ProcessBuilder("openssl", "ocsp", "-index", index.toString(), "-port", Integer.toString(port),
                "-rsigner", dir.resolve("intermediate.pem").toString(), "-rkey", dir.resolve("intermediate.key").toString(),
                "-CA", dir.resolve("intermediate.pem").toString(), "-nmin", "5")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // openssl ocsp serves one connection at a time and wedges on an empty one: wait for its log line, don't probe
        ProxyHarness.await(() -> {
            try {
                return Files.readString(log).contains("waiting for OCSP client connections");
            } catch (java.io.IOException notYet) {
                return false;
            }
        }, "openssl ocsp responder on " + port);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
