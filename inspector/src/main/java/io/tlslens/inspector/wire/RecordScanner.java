package io.tlslens.inspector.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental, non-consuming TLS record scanner for one direction of one connection
 * (RFC 8446 §5.1, RFC 5246 §6.2). Feed it every byte of the direction, in order, in any split;
 * it frames records, reassembles plaintext handshake messages across records (and several per
 * record), decodes ClientHello/ServerHello and plaintext alerts, and reports {@link RecordListener}
 * events. Not thread-safe: one instance per direction, fed from one thread.
 *
 * <p><b>Detection</b> is decided from the first byte: 20..23 starts a TLS record (the first record
 * header must then carry major version 3, else it is reported as not TLS); a first byte with the high
 * bit set waits for the third byte and is an SSLv2-compatible ClientHello (RFC 5246 Appendix E.2)
 * when that is 1; anything else is reported at once through {@code onNotTls} with the stream's first
 * bytes that arrived so far (at most 16 — a single feed usually holds a whole plaintext request line).
 * After an SSLv2 hello the stream continues as TLS records.
 *
 * <p><b>Encryption.</b> A direction turns encrypted after it sends ChangeCipherSpec or a TLS 1.3
 * ServerHello (not a HelloRetryRequest; a ChangeCipherSpec right after a HelloRetryRequest does not
 * count, RFC 8446 Appendix D.4). Then handshake records are no longer parsed, but records are still framed
 * and reported. An alert record of exactly 2 bytes is decoded even then: no encrypted alert is that short
 * (TLS 1.3 seals every record as type 23; TLS 1.2 adds a MAC or tag), and OpenSSL clients send TLS 1.3 alerts
 * in plaintext, also after their compatibility ChangeCipherSpec (which a HelloRetryRequest brings forward). One exception: a client that offered TLS 1.3 and sent the
 * compatibility ChangeCipherSpec may send its second ClientHello in plaintext afterwards; the first
 * handshake record after that ChangeCipherSpec is probed and reported if it is exactly one whole,
 * decodable ClientHello, and silently ignored otherwise.
 *
 * <p><b>Errors</b> (record longer than 2^14+2048, bad record header, handshake message over the cap,
 * undecodable ClientHello/ServerHello, handshake message interleaved with another record type) are
 * reported once through {@code onMalformed} and stop the scanner. An exception thrown by the listener
 * is reported the same way (reason starting with {@code internal error}).
 *
 * <p><b>Stopped</b> ({@link #stop()}, not TLS, malformed): {@code feed} only adds to
 * {@link #bytesSeen()}; no more framing or events; the partial-record accessors keep the values they
 * had when scanning stopped. Memory: at most one handshake message (capped) plus small fixed buffers;
 * no copy of whole records, no per-byte allocation.
 */
public final class RecordScanner {
    /** Maximum record body: 2^14 plaintext + 2048 expansion (RFC 5246 §6.2.3). */
    public static final int MAX_RECORD_BODY = (1 << 14) + 2048;
    /** Default cap for one reassembled handshake message, in bytes. */
    public static final int DEFAULT_MAX_HANDSHAKE_MESSAGE_BYTES = 65_536;

    private static final int DETECT = 0;
    private static final int TLS = 1;
    private static final int SSLV2 = 2;
    private static final int STOPPED = 3;

    private final RecordListener listener;
    private final int maxHandshakeMessageBytes;

    private int mode = DETECT;
    private long bytesSeen;
    /** Stream offset of buf[0] during the current process() call. */
    private long feedBase;

    private final byte[] first = new byte[16];
    private int firstLen;

    // current TLS record
    private final byte[] hdr = new byte[5];
    private int hdrLen;
    private int recType;
    private int recVersion;
    private int recLen;
    private int recBodySeen;
    private boolean firstRecord = true;
    private final byte[] alertBuf = new byte[2];

    // handshake reassembly
    private final byte[] hsHdr = new byte[4];
    private int hsHdrLen;
    private byte[] hsBody;
    private int hsBodyPos;
    private int hsRecordVersion;
    private long hsStart;
    private int[] segPos = new int[4];
    private long[] segStream = new long[4];
    private int segCount;
    private long segStreamEnd = -1;

    // SSLv2-compatible hello
    private byte[] v2;
    private int v2Pos;

    // second-ClientHello probe after a TLS 1.3 compatibility ChangeCipherSpec
    private boolean probeNextHandshakeRecord;
    private byte[] probe;

    // how the handshake message being reassembled arrived
    private long reads;
    private long recordIndex;
    private long recStartRead;
    private long msgStartRead;
    private long msgRecordIndex;
    private int msgRecords;

    private boolean encrypted;
    private boolean clientHelloSeen;
    private int clientHellos;
    private boolean tls13Offered;
    private boolean helloRetryPending;

    /** @param listener receives events; default cap of 65,536 bytes per handshake message */
    public RecordScanner(RecordListener listener) {
        this(listener, DEFAULT_MAX_HANDSHAKE_MESSAGE_BYTES);
    }

    /**
     * @param listener                 receives events
     * @param maxHandshakeMessageBytes largest handshake message body (bytes) reassembled; a longer one is malformed
     * @throws IllegalArgumentException when the cap is below 64
     */
    public RecordScanner(RecordListener listener, int maxHandshakeMessageBytes) {
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxHandshakeMessageBytes < 64) {
            throw new IllegalArgumentException("maxHandshakeMessageBytes < 64: " + maxHandshakeMessageBytes);
        }
        this.maxHandshakeMessageBytes = maxHandshakeMessageBytes;
    }

    /**
     * Scans {@code buf[off, off+len)}; never throws for any content (problems go to {@code onMalformed}).
     *
     * @throws IndexOutOfBoundsException only when the slice lies outside {@code buf} (a caller bug; nothing is scanned)
     */
    public void feed(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return;
        }
        reads++;
        scan(buf, off, len);
    }

    /** One read's bytes (or a part of them): counts and scans without counting a read. */
    private void scan(byte[] buf, int off, int len) {
        long start = bytesSeen;
        bytesSeen += len;
        if (firstLen < first.length) {
            int n = Math.min(first.length - firstLen, len);
            System.arraycopy(buf, off, first, firstLen, n);
            firstLen += n;
        }
        if (mode == STOPPED) {
            return;
        }
        feedBase = start - off;
        int p = off;
        int end = off + len;
        try {
            while (p < end && mode != STOPPED) {
                switch (mode) {
                    case DETECT -> p = detect(buf, p);
                    case TLS -> p = tls(buf, p, end);
                    case SSLV2 -> p = sslv2(buf, p, end);
                    default -> p = end;
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            if (mode != STOPPED) {
                malformed(feedBase + p, "internal error: " + e);
            }
        }
    }

    /**
     * Scans the remaining bytes of {@code buf} without changing its position, limit or mark.
     * Heap buffers are read in place; direct buffers through a small reused scratch array.
     */
    public void feed(ByteBuffer buf) {
        int len = buf.remaining();
        if (len == 0) {
            return;
        }
        if (buf.hasArray()) {
            feed(buf.array(), buf.arrayOffset() + buf.position(), len);
            return;
        }
        reads++;
        if (mode == STOPPED && firstLen == first.length) {
            bytesSeen += len;
            return;
        }
        byte[] scratch = scratch();
        int pos = buf.position();
        while (len > 0) {
            int n = Math.min(len, scratch.length);
            buf.get(pos, scratch, 0, n);
            scan(scratch, 0, n);
            pos += n;
            len -= n;
        }
    }

    private byte[] scratch;

    private byte[] scratch() {
        if (scratch == null) {
            scratch = new byte[8192];
        }
        return scratch;
    }

    /** @return total bytes fed so far, including bytes fed after scanning stopped */
    public long bytesSeen() {
        return bytesSeen;
    }

    /** @return true when some bytes of a record (header or body) arrived but not the rest */
    public boolean partialRecordPending() {
        return pendingRecordBytes() > 0;
    }

    /** @return bytes of the incomplete record seen so far (header included), 0 when none */
    public int pendingRecordBytes() {
        if (mode == SSLV2 || (mode == STOPPED && v2 != null)) {
            return v2 != null ? v2Pos : hdrLen;
        }
        return hdrLen + recBodySeen;
    }

    /** @return full size of the incomplete record including its header when the header is complete, else -1 */
    public int expectedRecordBytes() {
        if (v2 != null) {
            return v2.length;
        }
        if (mode == SSLV2 || hdrLen < 5) {
            return -1;
        }
        return 5 + recLen;
    }

    /**
     * @return bytes of the handshake message being reassembled that arrived so far, its 4-byte header
     *         included; 0 when no message is in progress
     */
    public int pendingHandshakeBytes() {
        if (hsHdrLen < 4 || hsBody == null) {
            return hsHdrLen;
        }
        return 4 + hsBodyPos;
    }

    /** @return full size (header included) of the handshake message being reassembled, -1 when unknown or none */
    public int expectedHandshakeBytes() {
        return hsHdrLen == 4 && hsBody != null ? 4 + hsBody.length : -1;
    }

    /** @return the type of the handshake message being reassembled (1 = ClientHello), -1 when none */
    public int pendingHandshakeType() {
        return hsHdrLen > 0 ? hsHdr[0] & 0xff : -1;
    }

    /** @return true once a ClientHello was decoded in this direction */
    public boolean clientHelloSeen() {
        return clientHelloSeen;
    }

    /** @return true after this direction sent ChangeCipherSpec or a TLS 1.3 ServerHello (see class docs) */
    public boolean encrypted() {
        return encrypted;
    }

    /** @return true when scanning stopped (not TLS, malformed, or {@link #stop()}); later feeds only count bytes */
    public boolean stopped() {
        return mode == STOPPED;
    }

    /** Stops inspecting (e.g., handshake done) and frees buffers; later feeds only count bytes. */
    public void stop() {
        mode = STOPPED;
        hsBody = null;
        probe = null;
        scratch = null;
    }

    // ---------------------------------------------------------------- detection

    private int detect(byte[] buf, int p) {
        int b0 = buf[p] & 0xff;
        if (b0 >= 20 && b0 <= 23) {
            mode = TLS;
        } else if ((b0 & 0x80) != 0) {
            mode = SSLV2;
        } else {
            notTls();
        }
        return p;
    }

    private void notTls() {
        mode = STOPPED;
        listener.onNotTls(Arrays.copyOf(first, firstLen));
    }

    private void malformed(long offset, String reason) {
        mode = STOPPED;
        hsBody = null;
        probe = null;
        try {
            listener.onMalformed(offset, reason);
        } catch (RuntimeException ignored) {
            // the listener's own failure cannot be reported anywhere else
        }
    }

    // ---------------------------------------------------------------- SSLv2-compatible hello

    private int sslv2(byte[] buf, int p, int end) {
        if (v2 == null && hdrLen == 0) {
            recStartRead = reads;
        }
        if (v2 == null) {
            while (hdrLen < 3 && p < end) {
                hdr[hdrLen++] = buf[p++];
            }
            if (hdrLen < 3) {
                return p;
            }
            if (hdr[2] != 1) {
                notTls();
                return p;
            }
            int len = ((hdr[0] & 0x7f) << 8) | (hdr[1] & 0xff);
            if (len + 2 > Math.max(maxHandshakeMessageBytes, 1024) || len < 9) {
                malformed(0, "SSLv2 ClientHello record length " + len + " out of range");
                return p;
            }
            v2 = new byte[len + 2];
            System.arraycopy(hdr, 0, v2, 0, 3);
            v2Pos = 3;
            hdrLen = 0;
        }
        int n = Math.min(v2.length - v2Pos, end - p);
        System.arraycopy(buf, p, v2, v2Pos, n);
        v2Pos += n;
        p += n;
        if (v2Pos == v2.length) {
            byte[] record = v2;
            v2 = null;
            v2Pos = 0;
            mode = TLS;
            firstRecord = false;
            listener.onRecord(22, 0x0002, record.length - 2);
            try {
                ClientHello h = ClientHelloDecoder.decodeSslv2(record);
                clientHelloSeen = true;
                clientHellos++;
                listener.onClientHello(h, new ClientHelloArrival(record.length - 2, 1,
                        (int) Math.min(Integer.MAX_VALUE, reads - recStartRead + 1)));
            } catch (MalformedHandshakeException e) {
                malformed(e.offset(), "SSLv2 ClientHello: " + e.reason());
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- TLS records

    private int tls(byte[] buf, int p, int end) {
        if (hdrLen == 0) {
            recStartRead = reads;
        }
        if (hdrLen < 5) {
            if (hdrLen == 0 && end - p >= 5) {
                System.arraycopy(buf, p, hdr, 0, 5);
                hdrLen = 5;
                p += 5;
            } else {
                while (hdrLen < 5 && p < end) {
                    hdr[hdrLen++] = buf[p++];
                }
                if (hdrLen < 5) {
                    return p;
                }
            }
            if (!header(feedBase + p - 5)) {
                return p;
            }
            if (recLen == 0) {
                completeRecord(feedBase + p);
                return p;
            }
        }
        int n = Math.min(recLen - recBodySeen, end - p);
        if (recType == ContentType.HANDSHAKE) {
            if (probe != null) {
                System.arraycopy(buf, p, probe, recBodySeen, n);
            } else if (!encrypted) {
                handshakeBytes(buf, p, n);
            }
        } else if (recType == ContentType.ALERT && recLen == 2) {
            for (int i = 0; i < n; i++) {
                alertBuf[recBodySeen + i] = buf[p + i];
            }
        }
        p += n;
        recBodySeen += n;
        if (recBodySeen == recLen && mode != STOPPED) {
            completeRecord(feedBase + p);
        }
        return p;
    }

    /** Validates a complete header; false when scanning stopped. */
    private boolean header(long recordStart) {
        recType = hdr[0] & 0xff;
        recVersion = ((hdr[1] & 0xff) << 8) | (hdr[2] & 0xff);
        recLen = ((hdr[3] & 0xff) << 8) | (hdr[4] & 0xff);
        recBodySeen = 0;
        if ((hdr[1] & 0xff) != 3) {
            if (firstRecord) {
                notTls();
            } else {
                malformed(recordStart + 1, String.format("record version 0x%04x is not TLS", recVersion));
            }
            return false;
        }
        if (recType < 20 || recType > 24) {
            malformed(recordStart, "unknown record content type " + recType);
            return false;
        }
        if (recLen > MAX_RECORD_BODY) {
            malformed(recordStart + 3, "record length " + recLen + " exceeds 2^14+2048");
            return false;
        }
        firstRecord = false;
        recordIndex++;
        if (recType != 22 && !encrypted && hsHdrLen > 0) {
            malformed(recordStart, "handshake message interrupted by a record of type " + recType);
            return false;
        }
        if (recType == ContentType.HANDSHAKE && encrypted && probeNextHandshakeRecord) {
            probeNextHandshakeRecord = false;
            probe = new byte[recLen];
        }
        return true;
    }

    private void completeRecord(long streamEnd) {
        int type = recType;
        int len = recLen;
        int version = recVersion;
        hdrLen = 0;
        recBodySeen = 0;
        listener.onRecord(type, version, len);
        switch (type) {
            case ContentType.ALERT -> {
                if (len == 2) {
                    listener.onAlert(new Alert(alertBuf[0] & 0xff, alertBuf[1] & 0xff));
                }
            }
            case ContentType.CHANGE_CIPHER_SPEC -> {
                listener.onChangeCipherSpec();
                if (!helloRetryPending && !encrypted) {
                    encrypted = true;
                    probeNextHandshakeRecord = tls13Offered && clientHellos == 1;
                }
            }
            case ContentType.HANDSHAKE -> {
                if (probe != null) {
                    byte[] rec = probe;
                    probe = null;
                    probeSecondClientHello(rec, version);
                }
            }
            case ContentType.APPLICATION_DATA -> listener.onApplicationData(len);
            default -> {
                // heartbeat (24): framed only
            }
        }
    }

    private void probeSecondClientHello(byte[] rec, int version) {
        if (rec.length < 4 || rec[0] != 1) {
            return;
        }
        int len = ((rec[1] & 0xff) << 16) | ((rec[2] & 0xff) << 8) | (rec[3] & 0xff);
        if (len != rec.length - 4) {
            return;
        }
        byte[] body = Arrays.copyOfRange(rec, 4, rec.length);
        ClientHello h;
        try {
            h = ClientHelloDecoder.decode(body, version);
        } catch (MalformedHandshakeException e) {
            return; // an encrypted TLS 1.2 Finished after all
        }
        listener.onHandshakeMessage(1, body);
        clientHellos++;
        listener.onClientHello(h, new ClientHelloArrival(rec.length, 1, (int) Math.min(Integer.MAX_VALUE, reads - recStartRead + 1)));
    }

    // ---------------------------------------------------------------- handshake reassembly

    private void handshakeBytes(byte[] buf, int p, int n) {
        int q = p;
        int e = p + n;
        if (hsHdrLen > 0 && recordIndex != msgRecordIndex) {
            msgRecords++;
            msgRecordIndex = recordIndex;
        }
        while (q < e && !encrypted && mode == TLS) {
            if (hsHdrLen < 4) {
                if (hsHdrLen == 0) {
                    hsStart = feedBase + q;
                    hsRecordVersion = recVersion;
                    msgStartRead = recStartRead;
                    msgRecordIndex = recordIndex;
                    msgRecords = 1;
                }
                hsHdr[hsHdrLen++] = buf[q++];
                if (hsHdrLen == 4) {
                    int len = ((hsHdr[1] & 0xff) << 16) | ((hsHdr[2] & 0xff) << 8) | (hsHdr[3] & 0xff);
                    if (len > maxHandshakeMessageBytes) {
                        malformed(hsStart + 1, "handshake message (type " + (hsHdr[0] & 0xff) + ") of " + len
                                + " bytes exceeds the cap of " + maxHandshakeMessageBytes);
                        return;
                    }
                    hsBody = new byte[len];
                    hsBodyPos = 0;
                    segCount = 0;
                    segStreamEnd = -1;
                    if (len == 0) {
                        dispatch();
                    }
                }
                continue;
            }
            int m = Math.min(hsBody.length - hsBodyPos, e - q);
            long stream = feedBase + q;
            if (stream != segStreamEnd) {
                addSegment(hsBodyPos, stream);
            }
            System.arraycopy(buf, q, hsBody, hsBodyPos, m);
            hsBodyPos += m;
            q += m;
            segStreamEnd = stream + m;
            if (hsBodyPos == hsBody.length) {
                dispatch();
            }
        }
    }

    private void addSegment(int bodyPos, long stream) {
        if (segCount == segPos.length) {
            segPos = Arrays.copyOf(segPos, segCount * 2);
            segStream = Arrays.copyOf(segStream, segCount * 2);
        }
        segPos[segCount] = bodyPos;
        segStream[segCount] = stream;
        segCount++;
    }

    /** Maps an offset within the current handshake body to a stream offset. */
    private long streamOffsetOfBody(long bodyOffset) {
        if (segCount == 0) {
            return hsStart + 4 + bodyOffset;
        }
        int i = segCount - 1;
        while (i > 0 && segPos[i] > bodyOffset) {
            i--;
        }
        return segStream[i] + (bodyOffset - segPos[i]);
    }

    private void dispatch() {
        byte[] body = hsBody;
        int type = hsHdr[0] & 0xff;
        hsBody = null;
        hsHdrLen = 0;
        listener.onHandshakeMessage(type, body);
        if (type == HandshakeType.CLIENT_HELLO) {
            try {
                ClientHello h = ClientHelloDecoder.decode(body, hsRecordVersion);
                clientHelloSeen = true;
                clientHellos++;
                tls13Offered |= h.offeredVersions().contains(0x0304);
                listener.onClientHello(h, new ClientHelloArrival(4 + body.length, msgRecords,
                        (int) Math.min(Integer.MAX_VALUE, reads - msgStartRead + 1)));
            } catch (MalformedHandshakeException e) {
                malformed(streamOffsetOfBody(e.offset()), "ClientHello: " + e.reason());
            }
        } else if (type == 2) {
            try {
                ServerHello sh = ServerHelloDecoder.decode(body);
                if (sh.helloRetryRequest()) {
                    helloRetryPending = true;
                } else {
                    helloRetryPending = false;
                    if (sh.tls13()) {
                        encrypted = true;
                    }
                }
            } catch (MalformedHandshakeException e) {
                malformed(streamOffsetOfBody(e.offset()), "ServerHello: " + e.reason());
            }
        }
        segCount = 0;
        segStreamEnd = -1;
    }
}
