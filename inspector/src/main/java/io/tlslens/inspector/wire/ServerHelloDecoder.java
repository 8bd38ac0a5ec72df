package io.tlslens.inspector.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Decodes a ServerHello / HelloRetryRequest body (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3). */
public final class ServerHelloDecoder {
    private ServerHelloDecoder() {
    }

    /** SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest (RFC 8446 §4.1.3). */
    static final byte[] HRR_RANDOM = hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    /**
     * @param body the handshake message body (after the 4-byte handshake header)
     * @return the decoded ServerHello
     * @throws MalformedHandshakeException with the byte offset within {@code body} for any truncation,
     *                                     overrun, bad length, duplicate extension or trailing bytes
     */
    public static ServerHello decode(byte[] body) throws MalformedHandshakeException {
        Bytes b = new Bytes(body, 0, body.length);
        int legacyVersion = b.u16("legacy_version");
        boolean hrr = b.peekEquals(HRR_RANDOM);
        b.skip(32, "random");
        int sidLen = b.u8("legacy_session_id length");
        if (sidLen > 32) {
            throw new MalformedHandshakeException(b.offset() - 1, "legacy_session_id length " + sidLen + " > 32");
        }
        b.skip(sidLen, "legacy_session_id");
        int cipherSuite = b.u16("cipher_suite");
        b.u8("legacy_compression_method");
        int selected = legacyVersion;
        int keyShareGroup = -1;
        String alpn = null;
        List<Integer> types = new ArrayList<>();
        if (b.remaining() > 0) {
            int extLen = b.u16("extensions length");
            if (extLen != b.remaining()) {
                throw new MalformedHandshakeException(b.offset() - 2,
                        "extensions length " + extLen + " does not match remaining " + b.remaining());
            }
            Bytes exts = b.slice(extLen, "extensions");
            Set<Integer> seen = new HashSet<>();
            while (exts.remaining() > 0) {
                int start = exts.offset();
                int type = exts.u16("extension type");
                int len = exts.u16("extension length");
                Bytes data = exts.slice(len, "extension data");
                if (!seen.add(type)) {
                    throw new MalformedHandshakeException(start, "duplicate extension " + type);
                }
                types.add(type);
                if (type == 0x002b) {
                    selected = data.u16("selected_version");
                    if (data.remaining() != 0) {
                        throw new MalformedHandshakeException(data.offset(), "trailing bytes in supported_versions");
                    }
                } else if (type == 0x0033) {
                    // HelloRetryRequest: selected_group only; ServerHello: a KeyShareEntry (group, key_exchange)
                    keyShareGroup = data.u16("key_share group");
                    if (data.remaining() > 0) {
                        data.skip(data.u16("key_exchange length"), "key_exchange");
                    }
                    if (data.remaining() != 0) {
                        throw new MalformedHandshakeException(data.offset(), "trailing bytes in key_share");
                    }
                } else if (type == 0x0010) {
                    // exactly one protocol name (RFC 7301 §3.1)
                    int listLen = data.u16("protocol_name_list length");
                    if (listLen != data.remaining()) {
                        throw new MalformedHandshakeException(data.offset() - 2, "protocol_name_list length " + listLen
                                + " does not match extension length");
                    }
                    int nameLen = data.u8("protocol_name length");
                    if (nameLen == 0 || nameLen != data.remaining()) {
                        throw new MalformedHandshakeException(data.offset() - 1, "ALPN answer is not exactly one protocol name");
                    }
                    alpn = data.latin1(nameLen, "protocol_name");
                }
            }
        }
        return new ServerHello(legacyVersion, cipherSuite, selected, hrr, types, keyShareGroup, alpn);
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
