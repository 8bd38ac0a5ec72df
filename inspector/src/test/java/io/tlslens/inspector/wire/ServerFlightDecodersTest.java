package io.tlslens.inspector.wire;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.tlslens.inspector.wire.TestHellos.concat;
import static io.tlslens.inspector.wire.TestHellos.ext;
import static io.tlslens.inspector.wire.TestHellos.u16Vector;
import static io.tlslens.inspector.wire.TestHellos.u16s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificate, CertificateRequest and ServerKeyExchange decoders on a real OpenSSL TLS 1.2 server flight. */
class ServerFlightDecodersTest {
    private static final List<int[]> TYPES = new ArrayList<>();
    private static final List<byte[]> BODIES = new ArrayList<>();

    @BeforeAll
    static void scan() throws Exception {
        byte[] flight;
        try (InputStream in = ServerFlightDecodersTest.class.getResourceAsStream("/serverflight/openssl_tls12_ecdsa.hex")) {
            flight = HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
        RecordScanner scanner = new RecordScanner(new RecordListener() {
            @Override
            public void onHandshakeMessage(int type, byte[] body) {
                TYPES.add(new int[] {type});
                BODIES.add(body);
            }
        });
        scanner.feed(flight, 0, flight.length);
        assertThat(TYPES.stream().map(t -> t[0]).toList()).containsExactly(2, 11, 12, 13, 14);
    }

    private static byte[] body(int type) {
        for (int i = 0; i < TYPES.size(); i++) {
            if (TYPES.get(i)[0] == type) {
                return BODIES.get(i);
            }
        }
        throw new AssertionError("no message " + type);
    }

    @Test
    void certificateChainTls12() throws Exception {
        CertificateMessage m = CertificateDecoder.decode(body(11), false);
        List<X509Certificate> chain = m.chain();
        assertThat(chain).hasSize(2);
        assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=example.com");
        assertThat(chain.get(0).getIssuerX500Principal().getName()).isEqualTo("CN=tlslens fixture CA");
        assertThat(chain.get(1).getSubjectX500Principal().getName()).isEqualTo("CN=tlslens fixture CA");
        assertThat(chain.get(0).getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(m.requestContextLength()).isZero();
        assertThat(m.entries()).allSatisfy(e -> assertThat(e.extensionTypes()).isEmpty());
    }

    @Test
    void certificateChainTls13FormWithContextAndEntryExtensions() throws Exception {
        List<X509Certificate> chain = CertificateDecoder.decode(body(11), false).chain();
        byte[] leaf = chain.get(0).getEncoded();
        byte[] ca = chain.get(1).getEncoded();
        byte[] sct = ext(18, new byte[] {0, 2, 9, 9});
        byte[] entries = concat(u24Vector(leaf), u16Vector(concat(ext(5, new byte[] {1, 0, 0, 0, 0}), sct)),
                u24Vector(ca), u16Vector(new byte[0]));
        byte[] body = concat(new byte[] {2, 7, 7}, u24Vector(entries));
        CertificateMessage m = CertificateDecoder.decode(body, true);
        assertThat(m.requestContextLength()).isEqualTo(2);
        assertThat(m.chain()).containsExactlyElementsOf(chain);
        assertThat(m.entries().get(0).extensionTypes()).containsExactly(5, 18);
        assertThat(m.entries().get(1).extensionTypes()).isEmpty();
    }

    @Test
    void emptyClientCertificateTls12() throws Exception {
        assertThat(CertificateDecoder.decode(new byte[] {0, 0, 0}, false).entries()).isEmpty();
    }

    @Test
    void certificateErrorsCarryOffsets() {
        byte[] good = body(11);
        assertThatThrownBy(() -> CertificateDecoder.decode(Arrays.copyOf(good, good.length - 1), false))
                .isInstanceOf(MalformedHandshakeException.class).hasMessageContaining("certificate_list length");
        byte[] bad = good.clone();
        bad[6] ^= 0x7f; // first byte of the first DER SEQUENCE
        assertThatThrownBy(() -> CertificateDecoder.decode(bad, false))
                .isInstanceOfSatisfying(MalformedHandshakeException.class, e -> {
                    assertThat(e.offset()).isEqualTo(6);
                    assertThat(e.reason()).startsWith("unparseable X.509 certificate");
                });
    }

    @Test
    void serverKeyExchangeNamedGroup() throws Exception {
        EcdheServerKeyExchange ske = ServerKeyExchangeDecoder.decodeEcdhe(body(12), 0x0303);
        assertThat(ske.namedGroup()).isEqualTo(0x001d);
        assertThat(ske.publicKeyLength()).isEqualTo(32);
        assertThat(ske.signatureScheme()).isEqualTo(0x0403); // ecdsa_secp256r1_sha256
        assertThatThrownBy(() -> ServerKeyExchangeDecoder.decodeEcdhe(body(12), 0x0301))
                .isInstanceOf(MalformedHandshakeException.class);
        byte[] explicit = body(12).clone();
        explicit[0] = 1;
        assertThatThrownBy(() -> ServerKeyExchangeDecoder.decodeEcdhe(explicit, 0x0303))
                .hasMessageContaining("curve_type 1");
    }

    @Test
    void certificateRequestTls12() throws Exception {
        CertificateRequest r = CertificateRequestDecoder.decode(body(13), 0x0303);
        assertThat(r.certificateTypes()).contains(1, 64); // rsa_sign, ecdsa_sign
        assertThat(r.signatureSchemes()).contains(0x0403, 0x0804);
        assertThat(r.certificateAuthorities()).containsExactly("CN=tlslens fixture CA");
        assertThat(r.extensionTypes()).isEmpty();
    }

    @Test
    void certificateRequestTls13() throws Exception {
        byte[] dn = new javax.security.auth.x500.X500Principal("CN=Root").getEncoded();
        byte[] exts = concat(ext(13, u16Vector(u16s(0x0403, 0x0804))), ext(47, u16Vector(u16Vector(dn))),
                ext(50, u16Vector(u16s(0x0401))));
        byte[] body = concat(new byte[] {0}, u16Vector(exts));
        CertificateRequest r = CertificateRequestDecoder.decode(body, 0x0304);
        assertThat(r.signatureSchemes()).containsExactly(0x0403, 0x0804);
        assertThat(r.signatureSchemesCert()).containsExactly(0x0401);
        assertThat(r.certificateAuthorities()).containsExactly("CN=Root");
        assertThat(r.extensionTypes()).containsExactly(13, 47, 50);
        assertThatThrownBy(() -> CertificateRequestDecoder.decode(concat(body, new byte[] {0}), 0x0304))
                .hasMessageContaining("trailing");
    }

    @Test
    void helloRetryRequestNamesTheSelectedGroup() throws Exception {
        byte[] base = TestHellos.serverHelloBody(0x0303, 0x1302, null, true);
        byte[] hrr = concat(base, u16Vector(concat(ext(43, u16s(0x0304)), ext(51, u16s(0x0018)))));
        ServerHello h = ServerHelloDecoder.decode(hrr);
        assertThat(h.helloRetryRequest()).isTrue();
        assertThat(h.keyShareGroup()).isEqualTo(0x0018);
        assertThat(h.alpn()).isNull();
    }

    @Test
    void serverHelloKeyShareAndAlpn() throws Exception {
        byte[] base = TestHellos.serverHelloBody(0x0303, 0x1301, null, false);
        byte[] share = concat(u16s(0x001d, 32), new byte[32]);
        byte[] sh13 = concat(base, u16Vector(concat(ext(43, u16s(0x0304)), ext(51, share))));
        assertThat(ServerHelloDecoder.decode(sh13).keyShareGroup()).isEqualTo(0x001d);

        byte[] alpn = concat(u16s(3), new byte[] {2, 'h', '2'});
        ServerHello sh12 = ServerHelloDecoder.decode(concat(TestHellos.serverHelloBody(0x0303, 0xc02f, null, false),
                u16Vector(ext(16, alpn))));
        assertThat(sh12.alpn()).isEqualTo("h2");
        assertThat(sh12.keyShareGroup()).isEqualTo(-1);
        byte[] two = concat(u16s(6), new byte[] {2, 'h', '2', 2, 'h', '3'});
        assertThatThrownBy(() -> ServerHelloDecoder.decode(concat(TestHellos.serverHelloBody(0x0303, 0xc02f, null, false),
                u16Vector(ext(16, two))))).isInstanceOf(MalformedHandshakeException.class);
    }

    @Test
    void certificateStatusCarriesTheOcspResponse() throws Exception {
        byte[] der = {0x30, 0x03, 0x0a, 0x01, 0x00};
        byte[] body = concat(new byte[] {1}, u24Vector(der));
        assertThat(CertificateStatusDecoder.decodeOcspResponse(body)).isEqualTo(der);
        body[0] = 2;
        assertThatThrownBy(() -> CertificateStatusDecoder.decodeOcspResponse(body)).hasMessageContaining("status_type 2");
        assertThatThrownBy(() -> CertificateStatusDecoder.decodeOcspResponse(concat(new byte[] {1}, u24Vector(der), new byte[] {0})))
                .hasMessageContaining("trailing");
    }

    private static byte[] u24Vector(byte[] data) {
        return concat(new byte[] {(byte) (data.length >> 16), (byte) (data.length >> 8), (byte) data.length}, data);
    }
}
