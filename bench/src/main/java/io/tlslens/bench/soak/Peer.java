package io.tlslens.bench.soak;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * One end of a soak connection: a TCP socket, with TLS (JDK, TLS 1.3) layered over it when there is a
 * context, so that the close orders can act on each layer: a TCP FIN or a reset on the socket, a
 * close_notify on the TLS layer.
 */
final class Peer implements AutoCloseable {
    final Socket raw;
    final SSLSocket tls;

    private Peer(Socket raw, SSLSocket tls) {
        this.raw = raw;
        this.tls = tls;
    }

    /**
     * Connects to 127.0.0.1:{@code port}; with a context, completes a TLS 1.3 handshake sending {@code sni}.
     * A handshake that gets no answer for 30 s fails with a {@link java.net.SocketTimeoutException}.
     */
    static Peer connect(int port, SSLContext ctx, String sni) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            if (ctx == null) {
                return new Peer(raw, null);
            }
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, sni, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            p.setProtocols(new String[]{"TLSv1.3"});
            s.setSSLParameters(p);
            raw.setSoTimeout(30_000);
            s.startHandshake();
            raw.setSoTimeout(0);
            return new Peer(raw, s);
        } catch (IOException | RuntimeException e) {
            rst(raw);
            throw e;
        }
    }

    /** Wraps an accepted socket; with a context, as the TLS server (the handshake runs on first read). */
    static Peer accept(Socket raw, SSLContext ctx) throws IOException {
        if (ctx == null) {
            return new Peer(raw, null);
        }
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, true);
        s.setUseClientMode(false);
        return new Peer(raw, s);
    }

    InputStream in() throws IOException {
        return tls != null ? tls.getInputStream() : raw.getInputStream();
    }

    OutputStream out() throws IOException {
        return tls != null ? tls.getOutputStream() : raw.getOutputStream();
    }

    /** Half-closes with a TCP FIN only (no close_notify). */
    void fin() throws IOException {
        raw.shutdownOutput();
    }

    /** Half-closes as a TLS 1.3 peer does: close_notify, then the TCP FIN; plain TCP: the FIN. */
    void closeNotify() throws IOException {
        if (tls != null) {
            tls.shutdownOutput();
        }
        if (!raw.isOutputShutdown()) {
            raw.shutdownOutput();
        }
    }

    /** Resets the connection (SO_LINGER 0, then close): an RST, no FIN and no close_notify. */
    void rst() {
        rst(raw);
    }

    static void rst(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    /** Closes: TLS sends close_notify first. */
    @Override
    public void close() {
        try {
            if (tls != null) {
                tls.close();
            }
        } catch (IOException ignored) {
            // the socket below is closed next anyway
        }
        try {
            raw.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
