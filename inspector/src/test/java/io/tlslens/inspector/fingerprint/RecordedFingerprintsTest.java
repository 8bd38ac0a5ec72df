package io.tlslens.inspector.fingerprint;

import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JA3 and JA4 of the recorded openssl, curl, JDK and BoringSSL (post-quantum) ClientHellos equal the reference
 * values of {@code fingerprints/recorded.tsv} (tshark's JA3; JA4 by FoxIO's rules over tshark's dissection).
 */
class RecordedFingerprintsTest {
    @Test
    void everyRecordedHelloMatchesTheReferenceValues() {
        Map<String, String[]> golden = GoldenFingerprints.load("/fingerprints/recorded.tsv");
        assertThat(golden.keySet()).containsExactlyInAnyOrder(Fixtures.NAMES);
        for (String name : Fixtures.NAMES) {
            ClientHello h = Fixtures.clientHello(name);
            assertThat(Ja4.of(h)).as("JA4 of %s", name).isEqualTo(golden.get(name)[0]);
            assertThat(Ja3.hash(h)).as("JA3 of %s", name).isEqualTo(golden.get(name)[1]);
        }
    }

    /** The two corpus hellos that once differed: extensions server_name only, so part c is FoxIO's zero hash. */
    @Test
    void helloWithOnlyServerNameHasTheZeroExtensionHash() {
        ClientHello h = new ClientHello(0x0301, 0x0301, java.util.List.of(0x002f, 0x0035), java.util.List.of(0x0000),
                "www.example.com", java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of(), false, false, false, false);
        assertThat(Ja4.of(h)).endsWith("_000000000000").startsWith("t10d0201");
        ClientHello alpnOnly = new ClientHello(0x0301, 0x0303, java.util.List.of(0x002f), java.util.List.of(0x0010),
                null, java.util.List.of("h2"), java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.List.of(), java.util.List.of(), java.util.List.of(), java.util.List.of(), false, false, false, false);
        assertThat(Ja4.of(alpnOnly)).isEqualTo("t12i0101h2_" + FingerprintTest.sha12Unchecked("002f") + "_000000000000");
    }
}
