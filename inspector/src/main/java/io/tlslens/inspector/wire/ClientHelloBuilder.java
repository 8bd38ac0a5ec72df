package io.tlslens.inspector.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds ClientHello bytes (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) that no TLS library would send: any
 * legacy_version (SSL 3.0 … TLS 1.2), a single cipher suite, RSA key exchange, only one named group, an empty
 * key_share (which draws a HelloRetryRequest naming the server's group), only one signature scheme. This is
 * what a scanner needs to enumerate what a server accepts one answer at a time.
 *
 * <p>Extensions are written in a fixed order, each only when set: server_name, ec_point_formats,
 * supported_groups, signature_algorithms, status_request, application_layer_protocol_negotiation,
 * extended_master_secret, supported_versions, psk_key_exchange_modes, key_share, signature_algorithms_cert,
 * renegotiation_info, then {@link #extension raw ones} in the order added. With none set, the message has no
 * extensions block at all (an SSL 3.0-style hello). Not thread-safe; {@link #message()} may be called repeatedly.
 */
public final class ClientHelloBuilder {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Largest record body a client may send (RFC 8446 §5.1: 2^14). */
    public static final int MAX_RECORD_BODY = 1 << 14;

    private int legacyVersion = 0x0303;
    private int recordVersion = 0x0301;
    private byte[] random;
    private byte[] sessionId = new byte[0];
    private List<Integer> cipherSuites = List.of();
    private String serverName;
    private List<Integer> ecPointFormats;
    private List<Integer> supportedGroups;
    private List<Integer> signatureSchemes;
    private boolean statusRequest;
    private List<String> alpn;
    private boolean extendedMasterSecret;
    private List<Integer> supportedVersions;
    private List<Integer> pskKeyExchangeModes;
    private Map<Integer, byte[]> keyShares;
    private List<Integer> signatureSchemesCert;
    private boolean renegotiationInfo;
    private final List<int[]> rawTypes = new ArrayList<>();
    private final List<byte[]> rawData = new ArrayList<>();

    /** @param version legacy_version, e.g. 0x0300 (SSL 3.0) … 0x0303 (TLS 1.2, also what TLS 1.3 clients send); default 0x0303 */
    public ClientHelloBuilder legacyVersion(int version) {
        this.legacyVersion = u16(version, "legacy_version");
        return this;
    }

    /** @param version the record layer version of the records {@link #records()} frames; default 0x0301 */
    public ClientHelloBuilder recordVersion(int version) {
        this.recordVersion = u16(version, "record version");
        return this;
    }

    /** @param random exactly 32 bytes; default: fresh from a {@link SecureRandom} for each message */
    public ClientHelloBuilder random(byte[] random) {
        if (random.length != 32) {
            throw new IllegalArgumentException("random must be 32 bytes, not " + random.length);
        }
        this.random = random.clone();
        return this;
    }

    /** @param id legacy_session_id, 0..32 bytes (32 random bytes is TLS 1.3 middlebox compatibility mode) */
    public ClientHelloBuilder sessionId(byte[] id) {
        if (id.length > 32) {
            throw new IllegalArgumentException("legacy_session_id longer than 32 bytes: " + id.length);
        }
        this.sessionId = id.clone();
        return this;
    }

    /** @param suites cipher suite codes in the order offered; at least one */
    public ClientHelloBuilder cipherSuites(List<Integer> suites) {
        if (suites.isEmpty() || suites.size() > 32_767) {
            throw new IllegalArgumentException("1 to 32767 cipher suites, not " + suites.size());
        }
        suites.forEach(s -> u16(s, "cipher suite"));
        this.cipherSuites = List.copyOf(suites);
        return this;
    }

    /** @param name host_name for server_name (ASCII, 1..255 characters), or null for no server_name */
    public ClientHelloBuilder serverName(String name) {
        if (name != null && (name.isEmpty() || name.length() > 255 || !StandardCharsets.US_ASCII.newEncoder().canEncode(name))) {
            throw new IllegalArgumentException("server_name must be 1 to 255 ASCII characters: " + name);
        }
        this.serverName = name;
        return this;
    }

    /** @param formats ec_point_formats (0 = uncompressed), or null for none */
    public ClientHelloBuilder ecPointFormats(List<Integer> formats) {
        this.ecPointFormats = u8s(formats, "ec_point_format");
        return this;
    }

    /** @param groups supported_groups codes, or null for none */
    public ClientHelloBuilder supportedGroups(List<Integer> groups) {
        this.supportedGroups = u16s(groups, "named group");
        return this;
    }

    /** @param schemes signature_algorithms codes, or null for none */
    public ClientHelloBuilder signatureSchemes(List<Integer> schemes) {
        this.signatureSchemes = u16s(schemes, "signature scheme");
        return this;
    }

    /** @param schemes signature_algorithms_cert codes, or null for none */
    public ClientHelloBuilder signatureSchemesCert(List<Integer> schemes) {
        this.signatureSchemesCert = u16s(schemes, "signature scheme");
        return this;
    }

    /** @param on send status_request (OCSP, RFC 6066 §8) with no responder IDs and no request extensions */
    public ClientHelloBuilder statusRequest(boolean on) {
        this.statusRequest = on;
        return this;
    }

    /** @param protocols ALPN protocol names (each 1..255 bytes), or null for none */
    public ClientHelloBuilder alpn(List<String> protocols) {
        if (protocols != null) {
            for (String p : protocols) {
                int n = p.getBytes(StandardCharsets.ISO_8859_1).length;
                if (n == 0 || n > 255) {
                    throw new IllegalArgumentException("ALPN protocol name of " + n + " bytes");
                }
            }
        }
        this.alpn = protocols == null ? null : List.copyOf(protocols);
        return this;
    }

    /** @param on send extended_master_secret (RFC 7627) */
    public ClientHelloBuilder extendedMasterSecret(boolean on) {
        this.extendedMasterSecret = on;
        return this;
    }

    /** @param versions supported_versions codes in preference order (e.g. [0x0304]), or null for none */
    public ClientHelloBuilder supportedVersions(List<Integer> versions) {
        this.supportedVersions = u16s(versions, "version");
        return this;
    }

    /** @param modes psk_key_exchange_modes (1 = psk_dhe_ke), or null for none */
    public ClientHelloBuilder pskKeyExchangeModes(List<Integer> modes) {
        this.pskKeyExchangeModes = u8s(modes, "psk_key_exchange_mode");
        return this;
    }

    /**
     * Adds one KeyShareEntry; the first call starts a key_share extension.
     *
     * @param group       the named group
     * @param keyExchange the public value as the group encodes it (x25519: 32 bytes; secp256r1: 65, uncompressed)
     */
    public ClientHelloBuilder keyShare(int group, byte[] keyExchange) {
        if (keyExchange.length == 0 || keyExchange.length > 0xffff) {
            throw new IllegalArgumentException("key_exchange of " + keyExchange.length + " bytes");
        }
        if (keyShares == null) {
            keyShares = new LinkedHashMap<>();
        }
        keyShares.put(u16(group, "named group"), keyExchange.clone());
        return this;
    }

    /** Sends a key_share extension with no entries: a TLS 1.3 server that accepts an offered group answers with a HelloRetryRequest. */
    public ClientHelloBuilder emptyKeyShare() {
        keyShares = new LinkedHashMap<>();
        return this;
    }

    /** @param on send an empty renegotiation_info extension (RFC 5746 §3.4) */
    public ClientHelloBuilder renegotiationInfo(boolean on) {
        this.renegotiationInfo = on;
        return this;
    }

    /**
     * Appends an extension as given, after the known ones (no check that the type is not sent twice).
     *
     * @param type extension type
     * @param data extension data (without type and length)
     */
    public ClientHelloBuilder extension(int type, byte[] data) {
        if (data.length > 0xffff) {
            throw new IllegalArgumentException("extension data of " + data.length + " bytes");
        }
        rawTypes.add(new int[] {u16(type, "extension type")});
        rawData.add(data.clone());
        return this;
    }

    /** @return the ClientHello body (after the 4-byte handshake header) */
    public byte[] body() {
        if (cipherSuites.isEmpty()) {
            throw new IllegalStateException("no cipher suites set");
        }
        Out b = new Out();
        b.u16(legacyVersion);
        byte[] r = random;
        if (r == null) {
            r = new byte[32];
            RANDOM.nextBytes(r);
        }
        b.bytes(r);
        b.u8(sessionId.length);
        b.bytes(sessionId);
        b.u16(cipherSuites.size() * 2);
        cipherSuites.forEach(b::u16);
        b.u8(1);
        b.u8(0); // legacy_compression_methods: null only
        byte[] ext = extensions();
        if (ext != null) {
            if (ext.length > 0xffff) {
                throw new IllegalStateException("extensions of " + ext.length + " bytes exceed 65535");
            }
            b.u16(ext.length);
            b.bytes(ext);
        }
        return b.toByteArray();
    }

    /** @return the handshake message: type client_hello (1), 3-byte length, body */
    public byte[] message() {
        byte[] body = body();
        Out b = new Out();
        b.u8(HandshakeType.CLIENT_HELLO);
        b.u24(body.length);
        b.bytes(body);
        return b.toByteArray();
    }

    /** @return the message framed in handshake records of at most {@value #MAX_RECORD_BODY} bytes each, as sent on the wire */
    public byte[] records() {
        byte[] msg = message();
        Out b = new Out();
        for (int off = 0; off < msg.length; off += MAX_RECORD_BODY) {
            int n = Math.min(MAX_RECORD_BODY, msg.length - off);
            b.u8(ContentType.HANDSHAKE);
            b.u16(recordVersion);
            b.u16(n);
            b.out.write(msg, off, n);
        }
        return b.toByteArray();
    }

    private byte[] extensions() {
        Out e = new Out();
        boolean any = false;
        if (serverName != null) {
            byte[] host = serverName.getBytes(StandardCharsets.US_ASCII);
            Out d = new Out();
            d.u16(host.length + 3);
            d.u8(0); // host_name
            d.u16(host.length);
            d.bytes(host);
            any |= e.ext(0x0000, d);
        }
        if (ecPointFormats != null) {
            Out d = new Out();
            d.u8(ecPointFormats.size());
            ecPointFormats.forEach(d::u8);
            any |= e.ext(0x000b, d);
        }
        if (supportedGroups != null) {
            any |= e.ext(0x000a, u16Vector(supportedGroups));
        }
        if (signatureSchemes != null) {
            any |= e.ext(0x000d, u16Vector(signatureSchemes));
        }
        if (statusRequest) {
            Out d = new Out();
            d.u8(1); // status_type ocsp
            d.u16(0); // responder_id_list
            d.u16(0); // request_extensions
            any |= e.ext(0x0005, d);
        }
        if (alpn != null) {
            Out list = new Out();
            for (String p : alpn) {
                byte[] name = p.getBytes(StandardCharsets.ISO_8859_1);
                list.u8(name.length);
                list.bytes(name);
            }
            Out d = new Out();
            d.u16(list.size());
            d.bytes(list.toByteArray());
            any |= e.ext(0x0010, d);
        }
        if (extendedMasterSecret) {
            any |= e.ext(0x0017, new Out());
        }
        if (supportedVersions != null) {
            Out d = new Out();
            d.u8(supportedVersions.size() * 2);
            supportedVersions.forEach(d::u16);
            any |= e.ext(0x002b, d);
        }
        if (pskKeyExchangeModes != null) {
            Out d = new Out();
            d.u8(pskKeyExchangeModes.size());
            pskKeyExchangeModes.forEach(d::u8);
            any |= e.ext(0x002d, d);
        }
        if (keyShares != null) {
            Out shares = new Out();
            keyShares.forEach((group, key) -> {
                shares.u16(group);
                shares.u16(key.length);
                shares.bytes(key);
            });
            Out d = new Out();
            d.u16(shares.size());
            d.bytes(shares.toByteArray());
            any |= e.ext(0x0033, d);
        }
        if (signatureSchemesCert != null) {
            any |= e.ext(0x0032, u16Vector(signatureSchemesCert));
        }
        if (renegotiationInfo) {
            Out d = new Out();
            d.u8(0);
            any |= e.ext(0xff01, d);
        }
        for (int i = 0; i < rawTypes.size(); i++) {
            Out d = new Out();
            d.bytes(rawData.get(i));
            any |= e.ext(rawTypes.get(i)[0], d);
        }
        return any ? e.toByteArray() : null;
    }

    private static Out u16Vector(List<Integer> values) {
        Out d = new Out();
        d.u16(values.size() * 2);
        values.forEach(d::u16);
        return d;
    }

    private static int u16(int v, String what) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(what + " " + v + " is not a 16-bit value");
        }
        return v;
    }

    private static List<Integer> u16s(List<Integer> values, String what) {
        if (values == null) {
            return null;
        }
        if (values.size() > 0x7fff) {
            throw new IllegalArgumentException("too many values: " + values.size());
        }
        values.forEach(v -> u16(v, what));
        return List.copyOf(values);
    }

    private static List<Integer> u8s(List<Integer> values, String what) {
        if (values == null) {
            return null;
        }
        if (values.size() > 0xff) {
            throw new IllegalArgumentException("too many values: " + values.size());
        }
        for (int v : values) {
            if (v < 0 || v > 0xff) {
                throw new IllegalArgumentException(what + " " + v + " is not an 8-bit value");
            }
        }
        return List.copyOf(values);
    }

    /** Big-endian writer. */
    private static final class Out {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        void u8(int v) {
            out.write(v);
        }

        void u16(int v) {
            out.write(v >>> 8);
            out.write(v);
        }

        void u24(int v) {
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
        }

        void bytes(byte[] b) {
            out.write(b, 0, b.length);
        }

        int size() {
            return out.size();
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        /** Writes one extension; always true. */
        boolean ext(int type, Out data) {
            if (data.size() > 0xffff) {
                throw new IllegalArgumentException("extension " + type + " data of " + data.size() + " bytes");
            }
            u16(type);
            u16(data.size());
            bytes(data.toByteArray());
            return true;
        }
    }
}
