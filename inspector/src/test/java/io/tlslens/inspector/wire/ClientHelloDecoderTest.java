package io.tlslens.inspector.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tlslens.inspector.registry.TlsRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClientHelloDecoderTest {

    static String[] fixtures() {
        return Fixtures.NAMES;
    }

    /** @return the handshake body of a fixture holding one record with one ClientHello */
    static byte[] body(String name) {
        byte[] s = Fixtures.stream(name);
        assertThat(s[0]).isEqualTo((byte) 22);
        assertThat(s[5]).isEqualTo((byte) 1);
        int len = ((s[6] & 0xff) << 16) | ((s[7] & 0xff) << 8) | (s[8] & 0xff);
        assertThat(s.length).isEqualTo(9 + len);
        return Arrays.copyOfRange(s, 9, 9 + len);
    }

    static ClientHello decode(String name) throws MalformedHandshakeException {
        byte[] s = Fixtures.stream(name);
        return ClientHelloDecoder.decode(body(name), ((s[1] & 0xff) << 8) | (s[2] & 0xff));
    }

    @Test
    void opensslTls13Default() throws Exception {
        ClientHello h = decode("openssl_tls13");
        assertThat(h.recordVersion()).isEqualTo(0x0301);
        assertThat(h.legacyVersion()).isEqualTo(0x0303);
        assertThat(h.serverName()).isEqualTo("example.com");
        assertThat(h.alpn()).containsExactly("h2", "http/1.1");
        assertThat(h.offeredVersions()).containsExactly(0x0301, 0x0302, 0x0303, 0x0304);
        assertThat(h.maxVersion()).isEqualTo(0x0304);
        assertThat(h.minVersion()).isEqualTo(0x0301);
        assertThat(h.cipherSuites()).contains(0x1301, 0x1302, 0x1303, 0xc02f);
        assertThat(h.cipherSuites().stream().map(TlsRegistry::cipherSuiteName)).contains("TLS_AES_128_GCM_SHA256");
        assertThat(h.supportedGroups().stream().map(TlsRegistry::namedGroupName))
                .startsWith("x25519", "secp256r1", "x448", "secp521r1", "secp384r1");
        assertThat(h.keyShareGroups()).containsExactly(29);
        assertThat(h.signatureSchemes().stream().map(TlsRegistry::signatureSchemeName))
                .startsWith("ecdsa_secp256r1_sha256");
        assertThat(h.extensionTypes().stream().map(TlsRegistry::extensionName))
                .contains("server_name", "application_layer_protocol_negotiation", "supported_versions", "key_share");
        assertThat(h.pskKeyExchangeModes()).containsExactly(1);
        assertThat(h.ecPointFormats()).containsExactly(0, 1, 2);
        assertThat(h.renegotiationInfo()).isTrue(); // SCSV 0x00ff
        assertThat(h.statusRequest()).isFalse();
        assertThat(h.encryptedClientHello()).isFalse();
        assertThat(h.sslv2Compatible()).isFalse();
    }

    @Test
    void opensslTls12Only() throws Exception {
        ClientHello h = decode("openssl_tls12");
        assertThat(h.supportedVersions()).isEmpty();
        assertThat(h.offeredVersions()).containsExactly(0x0300, 0x0301, 0x0302, 0x0303);
        assertThat(h.maxVersion()).isEqualTo(0x0303);
        assertThat(h.cipherSuites()).doesNotContain(0x1301).contains(0xc02f);
        assertThat(h.keyShareGroups()).isEmpty();
        assertThat(h.alpn()).containsExactly("h2", "http/1.1");
    }

    @Test
    void opensslTls10() throws Exception {
        ClientHello h = decode("openssl_tls10");
        assertThat(h.legacyVersion()).isEqualTo(0x0301);
        assertThat(h.maxVersion()).isEqualTo(0x0301);
        assertThat(h.alpn()).isEmpty();
        assertThat(h.signatureSchemes()).isEmpty();
        assertThat(h.serverName()).isEqualTo("example.com");
        assertThat(h.cipherSuites()).contains(0xc013, 0x002f);
    }

    @Test
    void noServerName() throws Exception {
        ClientHello h = decode("openssl_nosni");
        assertThat(h.serverName()).isNull();
        assertThat(h.extensionTypes()).doesNotContain(0);
        assertThat(h.alpn()).isEmpty();
        assertThat(h.maxVersion()).isEqualTo(0x0304);
    }

    @Test
    void curl() throws Exception {
        ClientHello ip = decode("curl");
        assertThat(ip.serverName()).isNull(); // curl sends no SNI for an IP literal
        assertThat(ip.alpn()).containsExactly("h2", "http/1.1");
        assertThat(ip.extensionTypes()).contains(49, 21); // post_handshake_auth, padding
        ClientHello named = decode("curl_sni");
        assertThat(named.serverName()).isEqualTo("example.com");
        assertThat(named.cipherSuites()).isEqualTo(ip.cipherSuites());
    }

    @Test
    void jdk17() throws Exception {
        ClientHello h = decode("jdk17");
        assertThat(h.recordVersion()).isEqualTo(0x0303);
        assertThat(h.serverName()).isEqualTo("example.com");
        assertThat(h.offeredVersions()).containsExactly(0x0303, 0x0304);
        assertThat(h.statusRequest()).isTrue();
        assertThat(h.keyShareGroups()).containsExactly(29, 23);
        assertThat(h.signatureSchemesCert()).isNotEmpty();
        assertThat(h.cipherSuites().get(0)).isEqualTo(0x1302);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyTruncationIsMalformed(String name) {
        byte[] body = body(name);
        int valid = 0;
        for (int cut = 0; cut < body.length; cut++) {
            byte[] part = Arrays.copyOf(body, cut);
            Throwable t = catchThrowable(() -> ClientHelloDecoder.decode(part, 0x0301));
            if (t == null) {
                // a cut right before the extensions block is a valid extension-less ClientHello
                valid++;
                continue;
            }
            assertThat(t).as("cut at %d", cut).isInstanceOf(MalformedHandshakeException.class);
            assertThat(((MalformedHandshakeException) t).offset()).isBetween(0L, (long) cut);
        }
        assertThat(valid).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void corruptedBytesNeverThrowAnythingElse(String name) {
        byte[] body = body(name);
        Random rnd = new Random(name.hashCode());
        for (int i = 0; i < 2000; i++) {
            byte[] b = body.clone();
            for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            Throwable t = catchThrowable(() -> ClientHelloDecoder.decode(b, 0x0301));
            if (t != null) {
                assertThat(t).isInstanceOf(MalformedHandshakeException.class);
            }
        }
    }

    @Test
    void trailingBytesAndDuplicateExtensionsAreMalformed() throws Exception {
        byte[] body = body("openssl_tls12");
        byte[] longer = Arrays.copyOf(body, body.length + 1);
        assertThatThrownBy(() -> ClientHelloDecoder.decode(longer, 0x0301))
                .isInstanceOf(MalformedHandshakeException.class)
                .hasMessageContaining("extensions length");
        ClientHello dup = null;
        MalformedHandshakeException e = org.junit.jupiter.api.Assertions.assertThrows(MalformedHandshakeException.class,
                () -> ClientHelloDecoder.decode(TestHellos.clientHelloBody(0x0303, List.of(0x1301),
                        List.of(TestHellos.ext(23, new byte[0]), TestHellos.ext(23, new byte[0]))), 0x0301));
        assertThat(e.reason()).contains("duplicate extension 23");
        assertThat(dup).isNull();
    }

    @Test
    void greaseIsKeptInListsButNotInOfferedVersions() throws Exception {
        byte[] body = TestHellos.clientHelloBody(0x0303, List.of(0x0a0a, 0x1301, 0xc02f),
                List.of(TestHellos.ext(0x1a1a, new byte[0]),
                        TestHellos.ext(43, TestHellos.u8Vector(TestHellos.u16s(0x2a2a, 0x0304, 0x0303))),
                        TestHellos.ext(10, TestHellos.u16Vector(TestHellos.u16s(0x3a3a, 29, 23)))));
        ClientHello h = ClientHelloDecoder.decode(body, 0x0301);
        assertThat(h.cipherSuites()).containsExactly(0x0a0a, 0x1301, 0xc02f);
        assertThat(h.extensionTypes()).containsExactly(0x1a1a, 43, 10);
        assertThat(h.supportedVersions()).containsExactly(0x2a2a, 0x0304, 0x0303);
        assertThat(h.offeredVersions()).containsExactly(0x0303, 0x0304);
        assertThat(h.supportedGroups()).containsExactly(0x3a3a, 29, 23);
    }

    @Test
    void legacyVersionAboveTls12WithoutSupportedVersionsOffersAtMostTls12() throws Exception {
        ClientHello h = ClientHelloDecoder.decode(TestHellos.clientHelloBody(0x0304, List.of(0x002f), null), 0x0301);
        assertThat(h.extensionTypes()).isEmpty();
        assertThat(h.maxVersion()).isEqualTo(0x0303);
    }

    @Test
    void sslv2CompatibleHello() throws Exception {
        byte[] record = TestHellos.sslv2Hello(0x0301);
        ClientHello h = ClientHelloDecoder.decodeSslv2(record);
        assertThat(h.sslv2Compatible()).isTrue();
        assertThat(h.recordVersion()).isEqualTo(0x0002);
        assertThat(h.legacyVersion()).isEqualTo(0x0301);
        assertThat(h.cipherSuites()).containsExactly(0x002f, 0x000a, 0x00ff); // SSL 2.0-only spec dropped
        assertThat(h.renegotiationInfo()).isTrue();
        assertThat(h.offeredVersions()).containsExactly(0x0300, 0x0301);
        assertThat(h.extensionTypes()).isEmpty();

        byte[] bad = record.clone();
        bad[6] = 4; // cipher_spec_length 0x0004 is not a multiple of 3
        assertThatThrownBy(() -> ClientHelloDecoder.decodeSslv2(bad)).isInstanceOf(MalformedHandshakeException.class);
        assertThatThrownBy(() -> ClientHelloDecoder.decodeSslv2(Arrays.copyOf(record, record.length - 1)))
                .isInstanceOf(MalformedHandshakeException.class);
    }
}
