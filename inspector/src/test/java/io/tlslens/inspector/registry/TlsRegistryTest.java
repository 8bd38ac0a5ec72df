package io.tlslens.inspector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TlsRegistryTest {

    /** Mozilla server-side TLS "old" profile (v5.x) OpenSSL cipher string; a superset of "intermediate". */
    static final String MOZILLA_OLD = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
            + "ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
            + "DHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:"
            + "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:"
            + "ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:"
            + "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:"
            + "DES-CBC3-SHA";

    static final String MOZILLA_INTERMEDIATE = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
            + "ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:"
            + "DHE-RSA-CHACHA20-POLY1305";

    @Test
    void namesFromIanaTables() {
        assertThat(TlsRegistry.cipherSuiteName(0x1301)).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(TlsRegistry.cipherSuiteName(0xc02f)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(TlsRegistry.cipherSuiteName(0x00ff)).isEqualTo("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
        assertThat(TlsRegistry.namedGroupName(0x11EC)).isEqualTo("X25519MLKEM768");
        // the post-quantum hybrids and the Kyber draft, by name (IANA marks the draft OBSOLETE: the name stays)
        assertThat(TlsRegistry.namedGroupName(0x11EB)).isEqualTo("SecP256r1MLKEM768");
        assertThat(TlsRegistry.namedGroupName(0x11ED)).isEqualTo("SecP384r1MLKEM1024");
        assertThat(TlsRegistry.namedGroupName(0x6399)).isEqualTo("X25519Kyber768Draft00");
        assertThat(TlsRegistry.namedGroupName(0x0202)).isEqualTo("MLKEM1024");
        assertThat(TlsRegistry.namedGroupName(29)).isEqualTo("x25519");
        assertThat(TlsRegistry.namedGroupName(23)).isEqualTo("secp256r1");
        assertThat(TlsRegistry.signatureSchemeName(0x0403)).isEqualTo("ecdsa_secp256r1_sha256");
        assertThat(TlsRegistry.signatureSchemeName(0x0804)).isEqualTo("rsa_pss_rsae_sha256");
        assertThat(TlsRegistry.extensionName(0)).isEqualTo("server_name");
        assertThat(TlsRegistry.extensionName(10)).isEqualTo("supported_groups");
        assertThat(TlsRegistry.extensionName(35)).isEqualTo("session_ticket");
        assertThat(TlsRegistry.extensionName(0xff01)).isEqualTo("renegotiation_info");
        assertThat(TlsRegistry.extensionName(0xfe0d)).isEqualTo("encrypted_client_hello");
        assertThat(TlsRegistry.alertName(48)).isEqualTo("unknown_ca");
        assertThat(TlsRegistry.alertName(40)).isEqualTo("handshake_failure");
        assertThat(TlsRegistry.alertName(116)).isEqualTo("certificate_required");
        assertThat(TlsRegistry.alertCode("unknown_ca")).isEqualTo(OptionalInt.of(48));
        assertThat(TlsRegistry.alertCode("PROTOCOL_VERSION")).isEqualTo(OptionalInt.of(70));
        assertThat(TlsRegistry.alertCode("nope")).isEmpty();
        assertThat(TlsRegistry.contentTypeName(22)).isEqualTo("handshake");
        assertThat(TlsRegistry.contentTypeName(23)).isEqualTo("application_data");
        assertThat(TlsRegistry.handshakeTypeName(1)).isEqualTo("client_hello");
        assertThat(TlsRegistry.handshakeTypeName(11)).isEqualTo("certificate");
        assertThat(TlsRegistry.handshakeTypeName(4)).isEqualTo("new_session_ticket");
    }

    @Test
    void greaseAndUnknown() {
        for (int i = 0; i < 16; i++) {
            int g = (i << 12) | 0x0a00 | (i << 4) | 0x0a;
            assertThat(TlsRegistry.isGrease(g)).as("0x%04x", g).isTrue();
            assertThat(TlsRegistry.cipherSuiteName(g)).isEqualTo("GREASE");
            assertThat(TlsRegistry.namedGroupName(g)).isEqualTo("GREASE");
            assertThat(TlsRegistry.signatureSchemeName(g)).isEqualTo("GREASE");
            assertThat(TlsRegistry.extensionName(g)).isEqualTo("GREASE");
            assertThat(TlsRegistry.versionName(g)).isEqualTo("GREASE");
        }
        assertThat(TlsRegistry.isGrease(0x0a1a)).isFalse();
        assertThat(TlsRegistry.isGrease(0x0b0b)).isFalse();
        assertThat(TlsRegistry.isGrease(0x10a0a)).isFalse();
        assertThat(TlsRegistry.cipherSuiteName(0xbeef)).isEqualTo("0xbeef");
        assertThat(TlsRegistry.namedGroupName(0x1234)).isEqualTo("0x1234");
        assertThat(TlsRegistry.signatureSchemeName(0x0202)).isEqualTo("0x0202"); // reserved row, no name
        assertThat(TlsRegistry.extensionName(0x7777)).isEqualTo("0x7777");
        assertThat(TlsRegistry.alertName(200)).isEqualTo("0xc8");
        assertThat(TlsRegistry.alertName(3)).isEqualTo("0x03");
        assertThat(TlsRegistry.handshakeTypeName(99)).isEqualTo("0x63");
        assertThat(TlsRegistry.contentTypeName(99)).isEqualTo("0x63");
    }

    @Test
    void versions() {
        assertThat(TlsRegistry.versionName(0x0303)).isEqualTo("TLS 1.2");
        assertThat(TlsRegistry.versionName(0x0304)).isEqualTo("TLS 1.3");
        assertThat(TlsRegistry.versionName(0x0300)).isEqualTo("SSL 3.0");
        assertThat(TlsRegistry.versionName(0x7f1c)).isEqualTo("0x7f1c");
        assertThat(TlsRegistry.versionCode("TLSv1.2")).isEqualTo(OptionalInt.of(0x0303));
        assertThat(TlsRegistry.versionCode("TLSv1")).isEqualTo(OptionalInt.of(0x0301));
        assertThat(TlsRegistry.versionCode("TLSv1.1")).isEqualTo(OptionalInt.of(0x0302));
        assertThat(TlsRegistry.versionCode("TLSv1.3")).isEqualTo(OptionalInt.of(0x0304));
        assertThat(TlsRegistry.versionCode("SSLv3")).isEqualTo(OptionalInt.of(0x0300));
        assertThat(TlsRegistry.versionCode("tlsv1.2")).isEqualTo(OptionalInt.of(0x0303));
        assertThat(TlsRegistry.versionCode("TLSv1.4")).isEmpty();
        assertThat(TlsRegistry.versionCode(null)).isEmpty();
        assertThat(TlsRegistry.versionProtocolName(0x0304)).isEqualTo("TLSv1.3");
        assertThat(TlsRegistry.versionProtocolName(0x0301)).isEqualTo("TLSv1");
        assertThat(TlsRegistry.versionProtocolName(0x0305)).isNull();
        for (String n : List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")) {
            assertThat(TlsRegistry.versionProtocolName(TlsRegistry.versionCode(n).getAsInt())).isEqualTo(n);
        }
    }

    @Test
    void cipherSuiteCodeAcceptsIanaAndOpenSslNames() {
        assertThat(TlsRegistry.cipherSuiteCode("TLS_AES_128_GCM_SHA256")).isEqualTo(OptionalInt.of(0x1301));
        assertThat(TlsRegistry.cipherSuiteCode("tls_ecdhe_rsa_with_aes_128_gcm_sha256")).isEqualTo(OptionalInt.of(0xc02f));
        assertThat(TlsRegistry.cipherSuiteCode("ECDHE-RSA-AES128-GCM-SHA256")).isEqualTo(OptionalInt.of(0xc02f));
        assertThat(TlsRegistry.cipherSuiteCode("ecdhe-ecdsa-aes128-gcm-sha256")).isEqualTo(OptionalInt.of(0xc02b));
        assertThat(TlsRegistry.cipherSuiteCode("ECDHE-RSA-AES256-GCM-SHA384")).isEqualTo(OptionalInt.of(0xc030));
        assertThat(TlsRegistry.cipherSuiteCode("ECDHE-RSA-CHACHA20-POLY1305")).isEqualTo(OptionalInt.of(0xcca8));
        assertThat(TlsRegistry.cipherSuiteCode("ECDHE-ECDSA-AES128-SHA256")).isEqualTo(OptionalInt.of(0xc023));
        assertThat(TlsRegistry.cipherSuiteCode("ECDHE-RSA-AES128-SHA")).isEqualTo(OptionalInt.of(0xc013));
        assertThat(TlsRegistry.cipherSuiteCode("AES128-GCM-SHA256")).isEqualTo(OptionalInt.of(0x009c));
        assertThat(TlsRegistry.cipherSuiteCode("AES256-SHA")).isEqualTo(OptionalInt.of(0x0035));
        assertThat(TlsRegistry.cipherSuiteCode("AES128-SHA256")).isEqualTo(OptionalInt.of(0x003c));
        assertThat(TlsRegistry.cipherSuiteCode("DHE-RSA-AES128-GCM-SHA256")).isEqualTo(OptionalInt.of(0x009e));
        assertThat(TlsRegistry.cipherSuiteCode("DES-CBC3-SHA")).isEqualTo(OptionalInt.of(0x000a));
        assertThat(TlsRegistry.cipherSuiteCode("ECDHE-RSA-DES-CBC3-SHA")).isEqualTo(OptionalInt.of(0xc012));
        assertThat(TlsRegistry.cipherSuiteCode("EDH-RSA-DES-CBC3-SHA")).isEqualTo(OptionalInt.of(0x0016));
        assertThat(TlsRegistry.cipherSuiteCode("NOT-A-CIPHER")).isEmpty();
        assertThat(TlsRegistry.cipherSuiteCode(null)).isEmpty();
        assertThat(TlsRegistry.openSslCipherName(0x1301)).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(TlsRegistry.openSslCipherName(0xc02f)).isEqualTo("ECDHE-RSA-AES128-GCM-SHA256");
        assertThat(TlsRegistry.openSslCipherName(0x00ff)).isNull();
    }

    @Test
    void mozillaCipherStringsResolve() {
        for (String profile : List.of(MOZILLA_INTERMEDIATE, MOZILLA_OLD)) {
            for (String name : profile.split(":")) {
                OptionalInt code = TlsRegistry.cipherSuiteCode(name);
                assertThat(code).as(name).isPresent();
                assertThat(TlsRegistry.openSslCipherName(code.getAsInt())).isEqualTo(name);
            }
        }
    }

    /** Every suite `openssl ciphers -V 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'` (OpenSSL 3.0.19) lists maps both ways. */
    @Test
    void derivedOpenSslNamesMatchOpenSsl30() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        try (InputStream in = getClass().getResourceAsStream("/registry/openssl-3.0-ciphers.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                String[] bytes = parts[0].split(",");
                int code = (Integer.parseInt(bytes[0].substring(2), 16) << 8) | Integer.parseInt(bytes[1].substring(2), 16);
                String openssl = parts[1];
                checked++;
                if (!openssl.equals(TlsRegistry.openSslCipherName(code))
                        || TlsRegistry.cipherSuiteCode(openssl).orElse(-1) != code) {
                    mismatches.add(String.format("0x%04x %s derived=%s", code, openssl, TlsRegistry.openSslCipherName(code)));
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void csvParserHandlesQuotesCommasAndLineBreaks() {
        List<List<String>> rows = Csv.parse("a,b,c\n\"0x00,0x1C-1D\",\"multi\nline, with \"\"quotes\"\"\",\r\nx,,\"\"\n");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).containsExactly("0x00,0x1C-1D", "multi\nline, with \"quotes\"", "");
        assertThat(rows.get(2)).containsExactly("x", "", "");
    }
}
