package io.tlslens.inspector.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link ClientHelloBuilder} builds decodes, field by field, with the inspector's own decoders. */
class ClientHelloBuilderTest {

    @Test
    void everyFieldSurvivesTheDecoder() throws Exception {
        byte[] random = new byte[32];
        Arrays.fill(random, (byte) 7);
        ClientHelloBuilder b = new ClientHelloBuilder().legacyVersion(0x0303).recordVersion(0x0301).random(random)
                .sessionId(new byte[32]).cipherSuites(List.of(0x1301, 0xc02b, 0x002f)).serverName("web.example.test")
                .ecPointFormats(List.of(0)).supportedGroups(List.of(0x001d, 0x0017)).signatureSchemes(List.of(0x0403, 0x0804))
                .statusRequest(true).alpn(List.of("h2", "http/1.1")).extendedMasterSecret(true)
                .supportedVersions(List.of(0x0304, 0x0303)).pskKeyExchangeModes(List.of(1))
                .keyShare(0x001d, new byte[32]).signatureSchemesCert(List.of(0x0403)).renegotiationInfo(true)
                .extension(0x0015, new byte[3]);

        ClientHello h = ClientHelloReader.read(b.records());

        assertThat(h.recordVersion()).isEqualTo(0x0301);
        assertThat(h.legacyVersion()).isEqualTo(0x0303);
        assertThat(h.cipherSuites()).containsExactly(0x1301, 0xc02b, 0x002f);
        assertThat(h.serverName()).isEqualTo("web.example.test");
        assertThat(h.ecPointFormats()).containsExactly(0);
        assertThat(h.supportedGroups()).containsExactly(0x001d, 0x0017);
        assertThat(h.signatureSchemes()).containsExactly(0x0403, 0x0804);
        assertThat(h.statusRequest()).isTrue();
        assertThat(h.alpn()).containsExactly("h2", "http/1.1");
        assertThat(h.supportedVersions()).containsExactly(0x0304, 0x0303);
        assertThat(h.offeredVersions()).containsExactly(0x0303, 0x0304);
        assertThat(h.pskKeyExchangeModes()).containsExactly(1);
        assertThat(h.keyShareGroups()).containsExactly(0x001d);
        assertThat(h.signatureSchemesCert()).containsExactly(0x0403);
        assertThat(h.renegotiationInfo()).isTrue();
        assertThat(h.extensionTypes()).containsExactly(0x0000, 0x000b, 0x000a, 0x000d, 0x0005, 0x0010, 0x0017, 0x002b,
                0x002d, 0x0033, 0x0032, 0xff01, 0x0015);

        // the bare body decodes the same way
        ClientHello fromBody = ClientHelloDecoder.decode(b.body(), 0x0301);
        assertThat(fromBody.cipherSuites()).isEqualTo(h.cipherSuites());
        assertThat(fromBody.extensionTypes()).isEqualTo(h.extensionTypes());
    }

    @Test
    void anSsl3StyleHelloHasNoExtensionsBlock() throws Exception {
        ClientHelloBuilder b = new ClientHelloBuilder().legacyVersion(0x0300).recordVersion(0x0300).cipherSuites(List.of(0x000a));
        byte[] body = b.body();
        assertThat(body).hasSize(2 + 32 + 1 + 2 + 2 + 1 + 1);
        ClientHello h = ClientHelloReader.read(b.records());
        assertThat(h.legacyVersion()).isEqualTo(0x0300);
        assertThat(h.recordVersion()).isEqualTo(0x0300);
        assertThat(h.extensionTypes()).isEmpty();
        assertThat(h.offeredVersions()).containsExactly(0x0300);
    }

    @Test
    void anEmptyKeyShareIsAnExtensionWithNoEntries() throws Exception {
        ClientHello h = ClientHelloReader.read(new ClientHelloBuilder().cipherSuites(List.of(0x1301))
                .supportedVersions(List.of(0x0304)).supportedGroups(List.of(0x0018)).emptyKeyShare().records());
        assertThat(h.extensionTypes()).contains(0x0033);
        assertThat(h.keyShareGroups()).isEmpty();
    }

    @Test
    void aHelloLargerThanOneRecordIsSplitAcrossRecords() throws Exception {
        byte[] records = new ClientHelloBuilder().cipherSuites(List.of(0xc02f)).extension(0x0015, new byte[20_000]).records();
        assertThat(records[0]).isEqualTo((byte) 22);
        assertThat(((records[3] & 0xff) << 8) | (records[4] & 0xff)).isEqualTo(ClientHelloBuilder.MAX_RECORD_BODY);
        int second = 5 + ClientHelloBuilder.MAX_RECORD_BODY;
        assertThat(records[second]).isEqualTo((byte) 22);
        ClientHello h = ClientHelloReader.read(records);
        assertThat(h.cipherSuites()).containsExactly(0xc02f);
        assertThat(h.extensionTypes()).containsExactly(0x0015);
    }

    @Test
    void eachMessageGetsAFreshRandomUnlessOneIsGiven() {
        ClientHelloBuilder b = new ClientHelloBuilder().cipherSuites(List.of(0x002f));
        assertThat(Arrays.copyOfRange(b.body(), 2, 34)).isNotEqualTo(Arrays.copyOfRange(b.body(), 2, 34));
    }

    @Test
    void refusesWhatCannotBeEncoded() {
        assertThatThrownBy(() -> new ClientHelloBuilder().body()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ClientHelloBuilder().cipherSuites(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHelloBuilder().cipherSuites(List.of(0x10000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHelloBuilder().serverName("bücher.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHelloBuilder().sessionId(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHelloBuilder().alpn(List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHelloBuilder().random(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
