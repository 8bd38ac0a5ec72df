package io.tlslens.bench;

import java.io.ByteArrayOutputStream;

/** Builds the benchmark's ClientHello bodies (handshake body, without the 4-byte header). */
final class SampleHellos {
    private SampleHellos() {
    }

    /**
     * @param postQuantum true to put an X25519MLKEM768 (0x11EC) key share of 1,216 bytes before x25519
     * @return a Chrome-like ClientHello body
     */
    static byte[] body(boolean postQuantum) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        u16(b, 0x0303);
        b.writeBytes(new byte[32]);
        b.write(32);
        b.writeBytes(new byte[32]);
        int[] suites = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
            0x009c, 0x009d, 0x002f, 0x0035};
        u16(b, suites.length * 2);
        for (int s : suites) {
            u16(b, s);
        }
        b.write(1);
        b.write(0);
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        ext(e, 0x1a1a, new byte[0]);
        ext(e, 0x0000, concat(u16v(concat(new byte[] {0}, u16v("www.example.com".getBytes())))));
        ext(e, 0x0017, new byte[0]);
        ext(e, 0xff01, new byte[] {0});
        ext(e, 0x000a, u16v(u16s(0x2a2a, postQuantum ? 0x11ec : 0x001d, 0x001d, 0x0017, 0x0018)));
        ext(e, 0x000b, new byte[] {1, 0});
        ext(e, 0x0023, new byte[0]);
        ext(e, 0x0010, u16v(concat(new byte[] {2}, "h2".getBytes(), new byte[] {8}, "http/1.1".getBytes())));
        ext(e, 0x0005, new byte[] {1, 0, 0, 0, 0});
        ext(e, 0x000d, u16v(u16s(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)));
        ext(e, 0x0012, new byte[0]);
        ByteArrayOutputStream ks = new ByteArrayOutputStream();
        ks.writeBytes(u16s(0x2a2a, 1));
        ks.write(0);
        if (postQuantum) {
            ks.writeBytes(u16s(0x11ec, 1216));
            ks.writeBytes(new byte[1216]);
        }
        ks.writeBytes(u16s(0x001d, 32));
        ks.writeBytes(new byte[32]);
        ext(e, 0x0033, u16v(ks.toByteArray()));
        ext(e, 0x002d, new byte[] {1, 1});
        ext(e, 0x002b, concat(new byte[] {6}, u16s(0x3a3a, 0x0304, 0x0303)));
        ext(e, 0x001b, new byte[] {2, 0, 2});
        ext(e, 0x4469, new byte[] {0, 3, 2, 'h', '2'});
        ext(e, 0x0a0a, new byte[] {0});
        u16(b, e.size());
        b.writeBytes(e.toByteArray());
        return b.toByteArray();
    }

    private static void u16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }

    private static byte[] u16s(int... vs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int v : vs) {
            u16(b, v);
        }
        return b.toByteArray();
    }

    private static byte[] u16v(byte[] d) {
        return concat(u16s(d.length), d);
    }

    private static void ext(ByteArrayOutputStream b, int type, byte[] data) {
        u16(b, type);
        u16(b, data.length);
        b.writeBytes(data);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
