package io.tlslens.inspector.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloDecoder;
import io.tlslens.inspector.wire.Fixtures;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    static String sha12Unchecked(String s) {
        try {
            return sha12(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha12(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII))).substring(0, 12);
    }

    static ClientHello hello(int legacy, List<Integer> suites, List<Integer> exts, String sni, List<String> alpn,
                             List<Integer> versions, List<Integer> groups, List<Integer> sigs, List<Integer> formats) {
        return new ClientHello(0x0301, legacy, suites, exts, sni, alpn, versions, groups, sigs, List.of(), formats,
                List.of(), List.of(), false, false, false, false);
    }

    /** A small hand-made hello with GREASE in every list. */
    static final ClientHello SMALL = hello(0x0303,
            List.of(0x0a0a, 0x1302, 0x1301, 0xc02f),
            List.of(0x2a2a, 0x0000, 0x0010, 0x000a, 0x000b, 0x000d, 0x002b, 0x3a3a),
            "example.com", List.of("http/1.1", "h2"),
            List.of(0x4a4a, 0x0304, 0x0303), List.of(0x5a5a, 29, 23), List.of(0x6a6a, 0x0804, 0x0403), List.of(0));

    @Test
    void ja3CanonicalStringAndHash() throws Exception {
        String expected = "771,4866-4865-49199,0-16-10-11-13-43,29-23,0";
        assertThat(Ja3.string(SMALL)).isEqualTo(expected);
        assertThat(Ja3.hash(SMALL)).isEqualTo(md5(expected)).hasSize(32);
    }

    @Test
    void ja4CanonicalStrings() throws Exception {
        String b = sha12("1301,1302,c02f");
        String c = sha12("000a,000b,000d,002b_0804,0403");
        assertThat(Ja4.of(SMALL)).isEqualTo("t13d0306h1_" + b + "_" + c);
    }

    @Test
    void ja4EdgeCases() throws Exception {
        // no supported_versions: legacy version; no SNI; no ALPN; no signature algorithms (no trailing '_')
        ClientHello h = hello(0x0301, List.of(0x002f, 0x0035), List.of(0x000a, 0x000b), null, List.of(),
                List.of(), List.of(23), List.of(), List.of(0));
        assertThat(Ja4.of(h)).isEqualTo("t10i0202" + "00" + "_" + sha12("002f,0035") + "_" + sha12("000a,000b"));
        // no extensions at all
        ClientHello bare = hello(0x0300, List.of(0x000a), List.of(), null, List.of(), List.of(), List.of(), List.of(), List.of());
        assertThat(Ja4.of(bare)).isEqualTo("ts3i0100" + "00_" + sha12("000a") + "_000000000000");
        assertThat(Ja3.string(bare)).isEqualTo("768,10,,,");
        // non-alphanumeric ALPN ends: first and last hex characters of the value
        assertThat(Ja4.alpn(List.of("\u00ab\u00cd"))).isEqualTo("ad");
        assertThat(Ja4.alpn(List.of("h2c!"))).isEqualTo("61"); // 68 32 63 21
        assertThat(Ja4.alpn(List.of("h"))).isEqualTo("hh");
        assertThat(Ja4.alpn(List.of("http/1.1", "h2"))).isEqualTo("h1");
        // counts cap at 99
        List<Integer> many = java.util.stream.IntStream.range(1, 150).boxed().toList();
        ClientHello big = hello(0x0303, many, List.of(0x000a), null, List.of(), List.of(), List.of(), List.of(), List.of());
        assertThat(Ja4.of(big)).startsWith("t12i9901");
        // supported_versions with only GREASE falls back to legacy_version
        ClientHello greaseOnly = hello(0x0303, List.of(0x1301), List.of(0x002b), null, List.of(), List.of(0x7a7a),
                List.of(), List.of(), List.of());
        assertThat(Ja4.of(greaseOnly)).startsWith("t12i0101");
    }

    /** Real ClientHello from OpenSSL 3.0.19 s_client; canonical strings written out from its decoded values. */
    @Test
    void opensslFixture() throws Exception {
        byte[] s = Fixtures.stream("openssl_tls13");
        ClientHello h = ClientHelloDecoder.decode(Arrays.copyOfRange(s, 9, s.length), 0x0301);
        String ciphers = "002f,0033,0035,0039,003c,003d,0067,006b,009c,009d,009e,009f,00ff,1301,1302,1303,"
                + "c009,c00a,c013,c014,c023,c024,c027,c028,c02b,c02c,c02f,c030,cca8,cca9,ccaa";
        String exts = "000a,000b,000d,0016,0017,0023,002b,002d,0033";
        String sigs = "0403,0503,0603,0807,0808,0809,080a,080b,0804,0805,0806,0401,0501,0601,0303,0301,0302,0402,0502,0602";
        assertThat(Ja4.of(h)).isEqualTo("t13d3111h2_" + sha12(ciphers) + "_" + sha12(exts + "_" + sigs));
        String ja3 = "771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-"
                + "49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-16-22-23-13-43-45-51,"
                + "29-23-30-25-24-256-257-258-259-260,0-1-2";
        assertThat(Ja3.string(h)).isEqualTo(ja3);
        assertThat(Ja3.hash(h)).isEqualTo(md5(ja3));
    }

    /**
     * Published pair: the worked example of FoxIO's JA4 technical details (JA4.md, "raw output":
     * JA4_ro = t13d1516h2_1301,...,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,
     * 000b,000a,0015_0403,...,0601), whose fingerprint is t13d1516h2_8daaf6152771_e5627efa2ab1.
     * GREASE values are added here as Chrome sends them, to check they are ignored.
     */
    @Test
    void publishedJa4SpecExample() {
        ClientHello h = hello(0x0303,
                List.of(0x1a1a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
                        0x009c, 0x009d, 0x002f, 0x0035),
                List.of(0x0a0a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012,
                        0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0xfafa),
                "example.org", List.of("h2", "http/1.1"), List.of(0x2a2a, 0x0304, 0x0303),
                List.of(0x3a3a, 29, 23, 24), List.of(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601),
                List.of(0));
        assertThat(Ja4.of(h)).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
    }

    /**
     * Published pair: a Chrome 143 (Android) ClientHello as reported by browserleaks.com/tls, recorded in a public
     * repository (service0427/v2_cp_app, tls.md): ja4_ro, ja3_text and the fingerprints ja4
     * t13d1516h2_8daaf6152771_d8a2da3f94cd and ja3_hash 98487aa16281980e7d1120d399efb6a4.
     */
    @Test
    void publishedChrome143Pair() {
        ClientHello h = hello(0x0303,
                List.of(0x8a8a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
                        0x009c, 0x009d, 0x002f, 0x0035),
                List.of(0x9a9a, 0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd, 0x0000, 0x000b, 0x000a, 0x002b, 0xff01,
                        0x0023, 0x0012, 0x0005, 0x000d, 0x001b, 0xbaba),
                "tls-outer.browserleaks.com", List.of("h2", "http/1.1"), List.of(0xcaca, 0x0304, 0x0303),
                List.of(0xdada, 4588, 29, 23, 24), List.of(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601),
                List.of(0));
        assertThat(Ja3.string(h)).isEqualTo("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0");
        assertThat(Ja3.hash(h)).isEqualTo("98487aa16281980e7d1120d399efb6a4");
        assertThat(Ja4.of(h)).isEqualTo("t13d1516h2_8daaf6152771_d8a2da3f94cd");
    }
}
