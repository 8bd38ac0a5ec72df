package io.tlslens.bench.soak;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What the soak client and the echo/sink backend say to each other through tlslens: a 28-byte header
 * (magic, connection id, upload and download sizes, close order, reset point), then payload bytes taken
 * from a 4 MiB random pool at an offset derived from the id. Each sender hashes (SHA-256) what it wrote,
 * each receiver what it read; the suite compares the two.
 */
final class Wire {
    static final int MAGIC = 0x534f414b;
    static final int HEADER_BYTES = 28;
    private static final int POOL = 4_194_301; // prime: a stream never lines up with its own wrap-around
    private static final byte[] BYTES = new byte[POOL];

    static {
        new SplittableRandom(20260601).nextBytes(BYTES);
    }

    private Wire() {
    }

    /** How a relayed connection ends; the reset orders carry no checksum check. */
    enum Order {
        /** client uploads, sends a TCP FIN, then reads the answer the backend sends only after that FIN */
        CLIENT_FIN,
        /** the backend reads the upload, answers and closes first; the client reads to EOF, then closes */
        BACKEND_FIN,
        /** client uploads and sends a FIN while the backend is still streaming its answer */
        HALF_CLOSE_CLIENT,
        /** the backend streams its answer and half-closes while the client is still uploading */
        HALF_CLOSE_BACKEND,
        /** both stream; the client reads the whole answer, then sends close_notify; the backend then closes */
        CLOSE_NOTIFY,
        /** the client resets (SO_LINGER 0) after part of its upload */
        CLIENT_RST,
        /** the backend resets after part of its answer */
        BACKEND_RST;

        boolean reset() {
            return this == CLIENT_RST || this == BACKEND_RST;
        }
    }

    /** The header the client sends first. */
    record Header(long id, int up, int down, Order order, int cut) {
        byte[] encode() {
            return ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putLong(id).putInt(up).putInt(down)
                    .putInt(order.ordinal()).putInt(cut).array();
        }

        /** @return the header, or null at end of input or on a wrong magic */
        static Header read(InputStream in) throws IOException {
            byte[] b = new byte[HEADER_BYTES];
            try {
                new DataInputStream(in).readFully(b);
            } catch (java.io.EOFException e) {
                return null;
            }
            ByteBuffer bb = ByteBuffer.wrap(b);
            if (bb.getInt() != MAGIC) {
                return null;
            }
            return new Header(bb.getLong(), bb.getInt(), bb.getInt(), Order.values()[bb.getInt()], bb.getInt());
        }
    }

    /** One direction of a connection: bytes and hash, as written or as read. */
    static final class Stream {
        private final MessageDigest sha = sha256();
        private volatile long bytes;
        private volatile byte[] digest;

        long bytes() {
            return bytes;
        }

        /** @return the SHA-256 of what went through, once finished */
        byte[] digest() {
            if (digest == null) {
                digest = sha.digest();
            }
            return digest;
        }

        /**
         * Writes {@code n} bytes of stream {@code key} in chunks of random size, hashing what was written.
         */
        void send(OutputStream out, long key, long n, SplittableRandom rnd) throws IOException {
            int pos = (int) Math.floorMod(key * 0x9E3779B97F4A7C15L, (long) POOL);
            while (bytes < n) {
                int len = (int) Math.min(Math.min(n - bytes, 1 + rnd.nextInt(65536)), POOL - pos);
                out.write(BYTES, pos, len);
                sha.update(BYTES, pos, len);
                bytes += len;
                pos = (pos + len) % POOL;
            }
            out.flush();
        }

        /** Reads up to {@code max} bytes (or to end of input), hashing them; @return true at end of input */
        boolean receive(InputStream in, long max) throws IOException {
            byte[] buf = new byte[65536];
            while (bytes < max) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, max - bytes));
                if (r < 0) {
                    return true;
                }
                sha.update(buf, 0, r);
                bytes += r;
            }
            return false;
        }

        boolean same(Stream other) {
            return bytes == other.bytes && Arrays.equals(digest(), other.digest());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
