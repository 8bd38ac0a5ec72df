package io.tlslens.inspector.fingerprint;

import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.IntList;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A reusable, growable buffer of ASCII bytes: the fingerprints build their canonical strings here and hash the
 * bytes directly, with no intermediate {@code String}. Not thread-safe (see {@link Scratch}).
 */
final class AsciiText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final int initialCapacity;
    private final int retainLimit;
    private byte[] buf;
    private int len;

    /**
     * @param initialCapacity starting size in bytes
     * @param retainLimit     above this size, {@link #clear()} drops the grown array so that one huge hello does
     *                        not pin memory for the thread's lifetime
     */
    AsciiText(int initialCapacity, int retainLimit) {
        this.initialCapacity = initialCapacity;
        this.retainLimit = retainLimit;
        this.buf = new byte[initialCapacity];
    }

    /** Empties the buffer for a new string. */
    AsciiText clear() {
        if (buf.length > retainLimit) {
            buf = new byte[initialCapacity];
        }
        len = 0;
        return this;
    }

    int length() {
        return len;
    }

    AsciiText append(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Appends an ASCII-only string. */
    AsciiText append(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** Appends {@code v} in decimal, as {@link Integer#toString(int)} writes it. */
    AsciiText appendDecimal(int v) {
        long x = v;
        ensure(11);
        if (x < 0) {
            buf[len++] = '-';
            x = -x;
        }
        int digits = 1;
        for (long p = 10; p <= x; p *= 10) {
            digits++;
        }
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (int) (x % 10));
            x /= 10;
        }
        len += digits;
        return this;
    }

    /** Appends {@code 0 <= v <= 99} as two digits. */
    AsciiText appendTwoDigits(int v) {
        ensure(2);
        buf[len++] = (byte) ('0' + v / 10);
        buf[len++] = (byte) ('0' + v % 10);
        return this;
    }

    /** Appends {@code 0 <= nibble <= 15} as one lowercase hex digit. */
    AsciiText appendHexDigit(int nibble) {
        ensure(1);
        buf[len++] = HEX[nibble];
        return this;
    }

    /**
     * Appends the values that are not GREASE (RFC 8701), in order, joined by {@code separator}: each in
     * decimal (JA3) or as 4-digit lower-case hex (JA4).
     */
    AsciiText appendNonGrease(IntList values, char separator, boolean hex) {
        boolean first = true;
        for (int i = 0; i < values.size(); i++) {
            int v = values.getInt(i);
            if (TlsRegistry.isGrease(v)) {
                continue;
            }
            if (!first) {
                append(separator);
            }
            if (hex) {
                appendHex4(v);
            } else {
                appendDecimal(v);
            }
            first = false;
        }
        return this;
    }

    /** Appends the low 16 bits of {@code v} as 4 lowercase hex digits ({@code %04x} of a 16-bit code). */
    AsciiText appendHex4(int v) {
        ensure(4);
        for (int shift = 12; shift >= 0; shift -= 4) {
            buf[len++] = HEX[(v >> shift) & 0xf];
        }
        return this;
    }

    /** Appends {@code bytes[0, n)} as lowercase hex, two digits per byte. */
    AsciiText appendHex(byte[] bytes, int n) {
        ensure(2 * n);
        for (int i = 0; i < n; i++) {
            buf[len++] = HEX[(bytes[i] >> 4) & 0xf];
            buf[len++] = HEX[bytes[i] & 0xf];
        }
        return this;
    }

    /**
     * Hashes the buffer's bytes.
     *
     * @param md  a digest, reset on return
     * @param out receives the digest; at least {@code md.getDigestLength()} bytes
     * @return the number of digest bytes written to {@code out}
     */
    int digest(MessageDigest md, byte[] out) {
        md.update(buf, 0, len);
        try {
            return md.digest(out, 0, out.length);
        } catch (DigestException e) {
            throw new IllegalStateException("digest buffer too small for " + md.getAlgorithm(), e);
        }
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.ISO_8859_1);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }
}
