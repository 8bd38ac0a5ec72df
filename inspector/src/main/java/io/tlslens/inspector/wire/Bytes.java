package io.tlslens.inspector.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Bounds-checked big-endian cursor over a byte array slice; every overrun is a {@link MalformedHandshakeException}. */
final class Bytes {
    private final byte[] buf;
    private final int origin;
    private int pos;
    private final int end;

    /** A cursor over {@code buf[off, off+len)}; offsets are reported relative to {@code off}. */
    Bytes(byte[] buf, int off, int len) {
        this(buf, off, off, len);
    }

    private Bytes(byte[] buf, int origin, int off, int len) {
        this.buf = buf;
        this.origin = origin;
        this.pos = off;
        this.end = off + len;
    }

    /** @return offset of the cursor relative to the outermost slice's start (sub-slices share it) */
    int offset() {
        return pos - origin;
    }

    int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws MalformedHandshakeException {
        if (n > end - pos) {
            throw truncated(n, what);
        }
    }

    /**
     * The error every read past the end reports, for callers that check {@link #remaining()} themselves so as to
     * build a composite {@code what} only on failure.
     */
    MalformedHandshakeException truncated(int n, String what) {
        return new MalformedHandshakeException(offset(), "truncated " + what + ": need " + n + " bytes, have " + (end - pos));
    }

    int u8(String what) throws MalformedHandshakeException {
        need(1, what);
        return buf[pos++] & 0xff;
    }

    int u16(String what) throws MalformedHandshakeException {
        need(2, what);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    int u24(String what) throws MalformedHandshakeException {
        need(3, what);
        int v = ((buf[pos] & 0xff) << 16) | ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    /** @return a copy of the next n bytes */
    byte[] bytes(int n, String what) throws MalformedHandshakeException {
        need(n, what);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    void skip(int n, String what) throws MalformedHandshakeException {
        need(n, what);
        pos += n;
    }

    /** @return a sub-cursor over the next n bytes, advancing this one past them */
    Bytes slice(int n, String what) throws MalformedHandshakeException {
        need(n, what);
        Bytes b = new Bytes(buf, origin, pos, n);
        pos += n;
        return b;
    }

    /** @return the next n bytes as ISO-8859-1 text (one char per byte, lossless) */
    String latin1(int n, String what) throws MalformedHandshakeException {
        need(n, what);
        String s = new String(buf, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    /** @return true when the next n bytes equal {@code expected} (does not advance) */
    boolean peekEquals(byte[] expected) {
        if (expected.length > end - pos) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (buf[pos + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
