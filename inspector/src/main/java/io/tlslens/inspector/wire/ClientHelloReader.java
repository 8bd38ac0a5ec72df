package io.tlslens.inspector.wire;

import java.util.Arrays;

/**
 * Decodes the first ClientHello in a complete, recorded byte string, whichever of the three common
 * recorded forms it has: the TLS records a client sent (content type 22, RFC 8446 §5.1; the hello may
 * span several records), an SSLv2-compatible ClientHello record (RFC 5246 Appendix E.2), or a bare
 * handshake message (type 1 + 3-byte length + body, RFC 8446 §4).
 */
public final class ClientHelloReader {
    private ClientHelloReader() {
    }

    /**
     * @param bytes the recorded bytes; decoding stops at the first ClientHello, later bytes are ignored
     * @return the decoded ClientHello
     * @throws MalformedHandshakeException when no ClientHello can be decoded: offset within {@code bytes}
     *                                     and the reason (not TLS, truncated, bad length …)
     */
    public static ClientHello read(byte[] bytes) throws MalformedHandshakeException {
        if (bytes.length >= 4 && bytes[0] == 1) {
            int len = ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
            if (len != bytes.length - 4) {
                throw new MalformedHandshakeException(1, "handshake length " + len + " does not match "
                        + (bytes.length - 4) + " remaining bytes");
            }
            byte[] body = Arrays.copyOfRange(bytes, 4, bytes.length);
            try {
                return ClientHelloDecoder.decode(body, 0);
            } catch (MalformedHandshakeException e) {
                throw new MalformedHandshakeException(e.offset() + 4, e.reason());
            }
        }
        Capture c = new Capture();
        RecordScanner scanner = new RecordScanner(c);
        scanner.feed(bytes, 0, bytes.length);
        if (c.hello != null) {
            return c.hello;
        }
        if (c.reason != null) {
            throw new MalformedHandshakeException(c.offset, c.reason);
        }
        if (c.notTls) {
            throw new MalformedHandshakeException(0, "not a TLS record, SSLv2 hello or handshake message");
        }
        throw new MalformedHandshakeException(bytes.length, "truncated: no complete ClientHello in "
                + bytes.length + " bytes");
    }

    private static final class Capture implements RecordListener {
        ClientHello hello;
        String reason;
        long offset;
        boolean notTls;

        @Override
        public void onClientHello(ClientHello h) {
            if (hello == null) {
                hello = h;
            }
        }

        @Override
        public void onMalformed(long offset, String reason) {
            this.offset = offset;
            this.reason = reason;
        }

        @Override
        public void onNotTls(byte[] firstBytes) {
            notTls = true;
        }
    }
}
