package io.tlslens.proxy;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A JDK TLS client that trusts one root, verifies the host name, and proves a handshake through
 * tlslens by an application-data round trip with an echo backend.
 */
final class JdkTlsClient {
    private final SSLContext context;
    /** The local port of the last connection, to compare with what a backend was told. */
    volatile int lastLocalPort;

    /** @param root PEM file of the root CA to trust */
    JdkTlsClient(Path root) throws Exception {
        context = TestPki.trusting(root);
    }

    /**
     * Opens TCP to 127.0.0.1:port, optionally writes {@code preamble} (a PROXY header) in plain, then
     * handshakes with SNI {@code host}, writes a line and reads its echo.
     *
     * @return the leaf certificate the server presented
     */
    X509Certificate roundTrip(int port, String host, byte[] preamble) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(10_000);
            lastLocalPort = plain.getLocalPort();
            if (preamble.length > 0) {
                plain.getOutputStream().write(preamble);
                plain.getOutputStream().flush();
            }
            try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                p.setServerNames(List.of(new SNIHostName(host)));
                s.setSSLParameters(p);
                s.startHandshake();
                X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
                byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(ping);
                s.getOutputStream().flush();
                byte[] back = s.getInputStream().readNBytes(ping.length);
                if (!new String(back, StandardCharsets.US_ASCII).equals("ping\n")) {
                    throw new AssertionError("echo mismatch: " + new String(back, StandardCharsets.US_ASCII));
                }
                return leaf;
            }
        }
    }

    X509Certificate roundTrip(int port, String host) throws Exception {
        return roundTrip(port, host, new byte[0]);
    }
}
