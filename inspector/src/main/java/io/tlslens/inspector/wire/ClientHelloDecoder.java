package io.tlslens.inspector.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes ClientHello messages (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) and SSLv2-compatible
 * ClientHellos (RFC 5246 Appendix E.2). Strict: every length must fit its container exactly,
 * extensions must not repeat (RFC 8446 §4.2), trailing bytes are an error.
 *
 * <p>Hot path (runs for every handshake the proxy sees): code lists are read into {@link IntList}s, never boxed,
 * and error texts are built only when an error is thrown.
 */
public final class ClientHelloDecoder {
    private ClientHelloDecoder() {
    }

    /**
     * @param body          the handshake message body (after the 4-byte handshake header)
     * @param recordVersion the version field of the record header that carried the message's first byte
     * @return the decoded ClientHello
     * @throws MalformedHandshakeException with the byte offset (within {@code body}) and a reason,
     *                                     for any truncation, overrun or bad length
     */
    public static ClientHello decode(byte[] body, int recordVersion) throws MalformedHandshakeException {
        Bytes b = new Bytes(body, 0, body.length);
        int legacyVersion = b.u16("legacy_version");
        b.skip(32, "random");
        int sidLen = b.u8("legacy_session_id length");
        if (sidLen > 32) {
            throw new MalformedHandshakeException(b.offset() - 1, "legacy_session_id length " + sidLen + " > 32");
        }
        b.skip(sidLen, "legacy_session_id");
        int csLen = b.u16("cipher_suites length");
        if (csLen % 2 != 0 || csLen == 0) {
            throw new MalformedHandshakeException(b.offset() - 2, "cipher_suites length " + csLen + " is odd or zero");
        }
        Bytes cs = b.slice(csLen, "cipher_suites");
        int[] suiteCodes = new int[csLen / 2];
        boolean scsv = false;
        for (int i = 0; i < suiteCodes.length; i++) {
            int s = cs.u16("cipher suite");
            suiteCodes[i] = s;
            scsv |= s == 0x00ff;
        }
        IntList suites = IntList.wrap(suiteCodes, suiteCodes.length);
        int cmLen = b.u8("legacy_compression_methods length");
        if (cmLen == 0) {
            throw new MalformedHandshakeException(b.offset() - 1, "legacy_compression_methods is empty");
        }
        b.skip(cmLen, "legacy_compression_methods");

        Parsed p = new Parsed();
        if (b.remaining() > 0) {
            int extLen = b.u16("extensions length");
            if (extLen != b.remaining()) {
                throw new MalformedHandshakeException(b.offset() - 2,
                        "extensions length " + extLen + " does not match remaining " + b.remaining());
            }
            parseExtensions(b.slice(extLen, "extensions"), p);
        }
        return new ClientHello(recordVersion, legacyVersion, suites, p.types.toList(), p.serverName, p.alpn,
                p.supportedVersions, p.groups, p.sigs, p.sigsCert, p.pointFormats, p.keyShares, p.pskModes,
                p.statusRequest, p.renegotiationInfo || scsv, p.ech, false,
                sidLen == 0 && p.ticketLength < 0 ? ClientHello.Session.NONE : new ClientHello.Session(sidLen, p.ticketLength));
    }

    /**
     * Decodes an SSLv2-compatible ClientHello (RFC 5246 Appendix E.2). Only the 2-byte record header
     * form (first byte's high bit set) is accepted. Only cipher specs whose first byte is 0 (TLS cipher
     * suites) are kept in {@link ClientHello#cipherSuites()}; SSL 2.0-only specs are dropped.
     *
     * @param record the whole v2 record including its 2-byte header
     * @return a ClientHello with {@code recordVersion} 0x0002, no extensions and {@code sslv2Compatible}
     * @throws MalformedHandshakeException with the byte offset within {@code record} and a reason
     */
    public static ClientHello decodeSslv2(byte[] record) throws MalformedHandshakeException {
        Bytes b = new Bytes(record, 0, record.length);
        int h = b.u16("SSLv2 record header");
        if ((h & 0x8000) == 0) {
            throw new MalformedHandshakeException(0, "not a 2-byte SSLv2 record header");
        }
        int len = h & 0x7fff;
        if (len != b.remaining()) {
            throw new MalformedHandshakeException(0, "SSLv2 record length " + len + " does not match " + b.remaining());
        }
        int type = b.u8("msg_type");
        if (type != 1) {
            throw new MalformedHandshakeException(2, "SSLv2 msg_type " + type + " is not CLIENT-HELLO (1)");
        }
        int version = b.u16("version");
        int specLen = b.u16("cipher_spec_length");
        int sidLen = b.u16("session_id_length");
        int chLen = b.u16("challenge_length");
        if (specLen == 0 || specLen % 3 != 0) {
            throw new MalformedHandshakeException(5, "cipher_spec_length " + specLen + " is not a positive multiple of 3");
        }
        if (sidLen != 0 && sidLen != 16) {
            throw new MalformedHandshakeException(7, "session_id_length " + sidLen + " is neither 0 nor 16");
        }
        if (chLen < 16 || chLen > 32) {
            throw new MalformedHandshakeException(9, "challenge_length " + chLen + " is outside 16..32");
        }
        if (specLen + sidLen + chLen != b.remaining()) {
            throw new MalformedHandshakeException(b.offset(), "SSLv2 ClientHello lengths do not add up to the record length");
        }
        IntListBuilder suites = new IntListBuilder(specLen / 3);
        boolean scsv = false;
        for (int i = 0; i < specLen / 3; i++) {
            int first = b.u8("cipher spec");
            int code = b.u16("cipher spec");
            if (first == 0) {
                suites.add(code);
                scsv |= code == 0x00ff;
            }
        }
        b.skip(sidLen, "session_id");
        b.skip(chLen, "challenge");
        return new ClientHello(0x0002, version, suites.build(), List.of(), null, List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), false, scsv, false, true);
    }

    private static final class Parsed {
        final ExtensionTypes types = new ExtensionTypes();
        String serverName;
        List<String> alpn = List.of();
        IntList supportedVersions = IntList.of();
        IntList groups = IntList.of();
        IntList sigs = IntList.of();
        IntList sigsCert = IntList.of();
        IntList pointFormats = IntList.of();
        IntList keyShares = IntList.of();
        IntList pskModes = IntList.of();
        boolean statusRequest;
        boolean renegotiationInfo;
        boolean ech;
        int ticketLength = -1;
    }

    private static void parseExtensions(Bytes exts, Parsed p) throws MalformedHandshakeException {
        while (exts.remaining() > 0) {
            int start = exts.offset();
            int type = exts.u16("extension type");
            int len = exts.u16("extension length");
            if (len > exts.remaining()) {
                throw exts.truncated(len, "extension " + type + " data");
            }
            Bytes d = exts.slice(len, "extension data");
            if (!p.types.add(type)) {
                throw new MalformedHandshakeException(start, "duplicate extension " + type);
            }
            switch (type) {
                case 0x0000 -> p.serverName = serverName(d);
                case 0x0010 -> p.alpn = alpn(d);
                case 0x002b -> p.supportedVersions = u16List(d, 1, "supported_versions");
                case 0x000a -> p.groups = u16List(d, 2, "supported_groups");
                case 0x000d -> p.sigs = u16List(d, 2, "signature_algorithms");
                case 0x0032 -> p.sigsCert = u16List(d, 2, "signature_algorithms_cert");
                case 0x000b -> p.pointFormats = u8List(d, "ec_point_formats");
                case 0x002d -> p.pskModes = u8List(d, "psk_key_exchange_modes");
                case 0x0033 -> p.keyShares = keyShare(d);
                case 0x0005 -> p.statusRequest = true;
                case 0x0023 -> p.ticketLength = len;
                case 0xff01 -> p.renegotiationInfo = true;
                case 0xfe0d -> p.ech = true;
                default -> {
                    // other extensions: type recorded only
                }
            }
        }
    }

    /** Reads a length-prefixed vector header and checks it fills the extension exactly. */
    private static Bytes vector(Bytes d, int lenBytes, String what) throws MalformedHandshakeException {
        int at = d.offset();
        if (d.remaining() < lenBytes) {
            throw d.truncated(lenBytes, what + " length");
        }
        int len = lenBytes == 1 ? d.u8(what) : d.u16(what);
        if (len != d.remaining()) {
            throw new MalformedHandshakeException(at, what + " length " + len + " does not match extension length");
        }
        return d.slice(len, what);
    }

    private static IntList u16List(Bytes d, int lenBytes, String what) throws MalformedHandshakeException {
        Bytes v = vector(d, lenBytes, what);
        if (v.remaining() % 2 != 0) {
            throw new MalformedHandshakeException(v.offset(), what + " length is odd");
        }
        int[] out = new int[v.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.u16(what);
        }
        return IntList.wrap(out, out.length);
    }

    private static IntList u8List(Bytes d, String what) throws MalformedHandshakeException {
        Bytes v = vector(d, 1, what);
        int[] out = new int[v.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.u8(what);
        }
        return IntList.wrap(out, out.length);
    }

    private static String serverName(Bytes d) throws MalformedHandshakeException {
        if (d.remaining() == 0) {
            return null; // an empty server_name is what servers send back; tolerate it from clients
        }
        Bytes v = vector(d, 2, "server_name_list");
        String host = null;
        while (v.remaining() > 0) {
            int nameType = v.u8("server_name name_type");
            int len = v.u16("server_name length");
            String name = v.latin1(len, "server_name");
            if (nameType == 0 && host == null) {
                host = name;
            }
        }
        return host;
    }

    private static List<String> alpn(Bytes d) throws MalformedHandshakeException {
        Bytes v = vector(d, 2, "protocol_name_list");
        List<String> out = new ArrayList<>(4);
        while (v.remaining() > 0) {
            int len = v.u8("protocol_name length");
            if (len == 0) {
                throw new MalformedHandshakeException(v.offset() - 1, "empty ALPN protocol name");
            }
            out.add(v.latin1(len, "protocol_name"));
        }
        return List.copyOf(out); // immutable already, so the ClientHello constructor keeps it as is
    }

    private static IntList keyShare(Bytes d) throws MalformedHandshakeException {
        Bytes v = vector(d, 2, "client_shares");
        IntListBuilder out = new IntListBuilder(4);
        while (v.remaining() > 0) {
            out.add(v.u16("key_share group"));
            int len = v.u16("key_exchange length");
            v.skip(len, "key_exchange");
        }
        return out.build();
    }
}
