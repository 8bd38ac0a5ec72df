package io.tlslens.proxy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal HTTP/2 backend over cleartext with prior knowledge (h2c, RFC 9113 §3.3), what a backend behind a
 * listener that negotiates {@code h2} has to speak: it reads the connection preface, answers SETTINGS, and
 * answers every request stream with {@code :status 200} and a short body. Enough for curl; no HPACK decoding,
 * no flow control beyond the defaults.
 */
final class H2cBackend implements AutoCloseable {
    static final String BODY = "hello over h2\n";
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0, HEADERS = 1, SETTINGS = 4, GOAWAY = 7;
    private static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;

    private final ServerSocket server;
    final int port;

    H2cBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        port = server.getLocalPort();
        Thread t = new Thread(this::acceptLoop, "h2c-backend");
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "h2c-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] preface = new byte[PREFACE.length];
            in.readFully(preface);
            if (!Arrays.equals(preface, PREFACE)) {
                return;
            }
            frame(out, SETTINGS, 0, 0, new byte[0]);
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                in.readFully(new byte[length]);
                if (type == SETTINGS && (flags & ACK) == 0) {
                    frame(out, SETTINGS, ACK, 0, new byte[0]);
                } else if (type == HEADERS && (flags & END_STREAM) != 0) {
                    frame(out, HEADERS, END_HEADERS, stream, new byte[] {(byte) 0x88}); // HPACK static index 8: :status 200
                    frame(out, DATA, END_STREAM, stream, BODY.getBytes(StandardCharsets.US_ASCII));
                } else if (type == GOAWAY) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >> 16);
        f[1] = (byte) (payload.length >> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >> 24);
        f[6] = (byte) (stream >> 16);
        f[7] = (byte) (stream >> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        out.write(f);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
