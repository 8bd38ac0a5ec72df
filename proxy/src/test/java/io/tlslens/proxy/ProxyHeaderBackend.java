package io.tlslens.proxy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A backend that expects a PROXY protocol v1 or v2 header (parsed here by hand, independently of
 * Netty's codec), records it, then echoes the rest of the connection — in plain, or in TLS after the
 * header when given a server SSLContext.
 */
final class ProxyHeaderBackend implements AutoCloseable {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A parsed header: version 1 or 2, the command/protocol word, and the endpoints. */
    record Header(int version, String protocol, String sourceIp, int sourcePort, String destinationIp, int destinationPort) {
    }

    private final ServerSocket server;
    private final SSLContext tls;
    final BlockingQueue<Object> headers = new LinkedBlockingQueue<>();

    /** @param tls server context to speak TLS after the header, or null for plain echo */
    ProxyHeaderBackend(SSLContext tls) throws IOException {
        this.tls = tls;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "proxy-header-backend");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return the next header received (fails on a parse error or after 10 s) */
    Header next() throws Exception {
        Object o = headers.poll(10, TimeUnit.SECONDS);
        if (o instanceof Header h) {
            return h;
        }
        throw new AssertionError("no PROXY header received: " + o);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "proxy-header-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            try {
                headers.add(parse(in));
            } catch (IOException | RuntimeException e) {
                headers.add("parse error: " + e);
                return;
            }
            Socket data = s;
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, "localhost", s.getPort(), false);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                data = ssl;
            }
            byte[] buf = new byte[4096];
            int n;
            InputStream din = data.getInputStream();
            OutputStream out = data.getOutputStream();
            while ((n = din.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // peer went away
        }
    }

    /** Reads exactly the header, byte by byte, leaving what follows unread. */
    static Header parse(InputStream in) throws IOException {
        byte[] first = in.readNBytes(12);
        if (Arrays.equals(first, V2_SIGNATURE)) {
            int verCmd = in.read();
            int famProto = in.read();
            int len = (in.read() << 8) | in.read();
            byte[] body = in.readNBytes(len);
            if ((verCmd >> 4) != 2) {
                throw new IOException("v2 signature but version " + (verCmd >> 4));
            }
            String command = (verCmd & 0x0F) == 1 ? "PROXY" : "LOCAL";
            return switch (famProto) {
                case 0x11 -> new Header(2, command + " TCP4", ip(body, 0, 4), port(body, 8), ip(body, 4, 4), port(body, 10));
                case 0x21 -> new Header(2, command + " TCP6", ip(body, 0, 16), port(body, 32), ip(body, 16, 16), port(body, 34));
                default -> new Header(2, command + " family/protocol 0x" + Integer.toHexString(famProto), null, 0, null, 0);
            };
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(first);
        int b;
        while (!line.toString(StandardCharsets.US_ASCII).endsWith("\r\n")) {
            if ((b = in.read()) < 0 || line.size() > 107) {
                throw new IOException("no v1 header: " + line.toString(StandardCharsets.US_ASCII));
            }
            line.write(b);
        }
        String[] f = line.toString(StandardCharsets.US_ASCII).trim().split(" ");
        if (!f[0].equals("PROXY")) {
            throw new IOException("not a PROXY line: " + Arrays.toString(f));
        }
        if (f[1].equals("UNKNOWN")) {
            return new Header(1, "UNKNOWN", null, 0, null, 0);
        }
        return new Header(1, f[1], f[2], Integer.parseInt(f[4]), f[3], Integer.parseInt(f[5]));
    }

    private static String ip(byte[] b, int off, int len) throws IOException {
        return InetAddress.getByAddress(Arrays.copyOfRange(b, off, off + len)).getHostAddress();
    }

    private static int port(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
