package io.tlslens.inspector.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/** Builds handshake messages and records byte by byte, per RFC 8446 / RFC 5246, for tests. */
public final class TestHellos {
    private TestHellos() {
    }

    public static byte[] u16s(int... values) {
        byte[] out = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            out[2 * i] = (byte) (values[i] >> 8);
            out[2 * i + 1] = (byte) values[i];
        }
        return out;
    }

    public static byte[] u8Vector(byte[] data) {
        return concat(new byte[] {(byte) data.length}, data);
    }

    public static byte[] u16Vector(byte[] data) {
        return concat(u16s(data.length), data);
    }

    public static byte[] ext(int type, byte[] data) {
        return concat(u16s(type, data.length), data);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** ClientHello body; {@code extensions == null} omits the extensions block entirely. */
    public static byte[] clientHelloBody(int legacyVersion, List<Integer> suites, List<byte[]> extensions) {
        int[] cs = suites.stream().mapToInt(Integer::intValue).toArray();
        byte[] base = concat(u16s(legacyVersion), new byte[32], new byte[] {0}, u16Vector(u16s(cs)), new byte[] {1, 0});
        if (extensions == null) {
            return base;
        }
        return concat(base, u16Vector(concat(extensions.toArray(new byte[0][]))));
    }

    /** ServerHello body with optional supported_versions; {@code hrr} uses the HelloRetryRequest random. */
    public static byte[] serverHelloBody(int legacyVersion, int suite, Integer selectedVersion, boolean hrr) {
        byte[] random = hrr ? Fixtures.hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c") : new byte[32];
        byte[] base = concat(u16s(legacyVersion), random, new byte[] {0}, u16s(suite), new byte[] {0});
        if (selectedVersion == null) {
            return base;
        }
        return concat(base, u16Vector(ext(43, u16s(selectedVersion))));
    }

    /** A handshake message: type, 3-byte length, body. */
    public static byte[] handshake(int type, byte[] body) {
        return concat(new byte[] {(byte) type, (byte) (body.length >> 16), (byte) (body.length >> 8), (byte) body.length}, body);
    }

    /** A TLS record: type, version, 2-byte length, body. */
    public static byte[] record(int type, int version, byte[] body) {
        return concat(new byte[] {(byte) type}, u16s(version, body.length), body);
    }

    /** Splits a handshake byte string into records of at most {@code max} body bytes each. */
    public static byte[] reframe(byte[] handshakeBytes, int max, int... versions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        int n = 0;
        while (i < handshakeBytes.length) {
            int len = Math.min(max, handshakeBytes.length - i);
            int v = versions.length == 0 ? 0x0301 : versions[Math.min(n, versions.length - 1)];
            out.writeBytes(record(22, v, Arrays.copyOfRange(handshakeBytes, i, i + len)));
            i += len;
            n++;
        }
        return out.toByteArray();
    }

    /**
     * An SSLv2-compatible ClientHello (RFC 5246 Appendix E.2): 2-byte header, msg_type 1, version,
     * three cipher specs (TLS_RSA_WITH_AES_128_CBC_SHA, SSL_CK_RC4_128_WITH_MD5, TLS_RSA_WITH_3DES_EDE_CBC_SHA)
     * plus the SCSV 0x00ff, no session id, a 16-byte challenge.
     */
    public static byte[] sslv2Hello(int version) {
        byte[] specs = {0, 0, 0x2f, 1, 0, (byte) 0x80, 0, 0, 0x0a, 0, 0, (byte) 0xff};
        byte[] challenge = new byte[16];
        Arrays.fill(challenge, (byte) 0x5a);
        byte[] body = concat(new byte[] {1}, u16s(version, specs.length, 0, challenge.length), specs, challenge);
        return concat(u16s(0x8000 | body.length), body);
    }
}
