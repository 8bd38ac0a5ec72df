package io.tlslens.inspector.policy;

import org.junit.jupiter.api.Test;

import static io.tlslens.inspector.policy.CipherSuites.*;
import static org.assertj.core.api.Assertions.assertThat;

class CipherSuitesTest {
    @Test
    void tls13() {
        assertThat(isTls13(TLS_AES_128_GCM_SHA256)).isTrue();
        assertThat(isTls13(TLS_AES_128_CCM_8_SHA256)).isTrue();
        assertThat(isTls13(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)).isFalse();
        assertThat(isTls13(TLS_EMPTY_RENEGOTIATION_INFO_SCSV)).isFalse();
        assertThat(minVersion(TLS_CHACHA20_POLY1305_SHA256)).isEqualTo(0x0304);
    }

    @Test
    void keyFit() {
        assertThat(fitsKey(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, KeyType.ECDSA)).isTrue();
        assertThat(fitsKey(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, KeyType.EDDSA)).isTrue();
        assertThat(fitsKey(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, KeyType.RSA)).isFalse();
        assertThat(fitsKey(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, KeyType.RSA)).isTrue();
        assertThat(fitsKey(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, KeyType.ECDSA)).isFalse();
        assertThat(fitsKey(TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, KeyType.RSA)).isTrue();
        assertThat(fitsKey(TLS_RSA_WITH_AES_128_CBC_SHA, KeyType.RSA)).isTrue();
        assertThat(fitsKey(TLS_RSA_WITH_AES_128_CBC_SHA, KeyType.ECDSA)).isFalse();
        assertThat(fitsKey(TLS_AES_256_GCM_SHA384, KeyType.OTHER)).isTrue();
        assertThat(fitsKey(TLS_FALLBACK_SCSV, KeyType.RSA)).isFalse();
        assertThat(fitsKey(0x0A0A, KeyType.RSA)).as("GREASE").isFalse();
        assertThat(fitsKey(0x0032, KeyType.RSA)).as("DHE_DSS").isFalse();
    }

    @Test
    void minimumVersions() {
        assertThat(minVersion(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).isEqualTo(0x0303);
        assertThat(minVersion(TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)).isEqualTo(0x0303);
        assertThat(minVersion(TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384)).isEqualTo(0x0303);
        assertThat(minVersion(TLS_RSA_WITH_AES_128_CBC_SHA256)).isEqualTo(0x0303);
        assertThat(minVersion(0xC0AC)).isEqualTo(0x0303);
        assertThat(minVersion(TLS_RSA_WITH_AES_128_CBC_SHA)).isEqualTo(0x0300);
        assertThat(minVersion(TLS_RSA_WITH_3DES_EDE_CBC_SHA)).isEqualTo(0x0300);
    }
}
