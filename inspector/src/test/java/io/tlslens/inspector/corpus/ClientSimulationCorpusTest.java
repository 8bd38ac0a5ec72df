package io.tlslens.inspector.corpus;

import io.tlslens.inspector.fingerprint.GoldenFingerprints;
import io.tlslens.inspector.fingerprint.Ja3;
import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloReader;
import io.tlslens.inspector.wire.MalformedHandshakeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every client of testssl.sh's client-simulation corpus (/etc/testssl/client-simulation.txt, Debian
 * package testssl.sh) decodes, agrees with the file's own columns, and keeps its fingerprints.
 *
 * <p>Column semantics as interpreted here:
 * <ul>
 * <li>{@code highest_protocol}: the highest version the hello offers (supported_versions, else
 *     legacy_version). TLS 1.3 draft codes 0x7fNN in older browsers' supported_versions count as 0x0304.</li>
 * <li>{@code lowest_protocol}: the lowest version the client accepts, which SSL Labs measured with fallback
 *     connections; it is not carried by a hello without supported_versions. So: 0x0200 exactly for the
 *     SSLv2-compatible hellos; with supported_versions, the lowest listed version is ≥ the column
 *     (Java 17 and OpenSSL 1.1.1 list only 1.2–1.3 but fall back to 1.0 in SSL Labs' data).</li>
 * <li>{@code ciphers} (OpenSSL names, TLS ≤ 1.2) + {@code ciphersuites} (TLS 1.3): the same set as the hello's
 *     cipher suites, compared over the suites tlslens' registry has an OpenSSL name for. Not compared: names
 *     tlslens does not map (SSLv2-only, export, DES, IDEA, GOST, the pre-RFC {@code -OLD} ChaCha20 suites),
 *     the renegotiation SCSV 0x00FF and GREASE, which the column never lists.</li>
 * </ul>
 */
class ClientSimulationCorpusTest {
    private static List<SimulatedClient> clients;

    @BeforeAll
    static void load() {
        clients = ClientSimulationCorpus.readDefault(); // throws naming the testssl.sh package when missing
    }

    @Test
    void holds162Clients() {
        assertThat(clients).hasSize(162);
        assertThat(clients).extracting(SimulatedClient::name).contains("Android 2.3.7", "IE 6 XP", "Chrome 101 (Win 10)");
    }

    @Test
    void everyHelloDecodesAndMatchesVersionColumns() throws MalformedHandshakeException {
        List<String> problems = new ArrayList<>();
        for (SimulatedClient c : clients) {
            ClientHello h = ClientHelloReader.read(c.handshakeBytes());
            int max = h.maxVersion() >= 0x7f00 ? 0x0304 : h.maxVersion();
            if (max != c.highestProtocol()) {
                problems.add(c.name() + ": highest " + hex(max) + " vs column " + hex(c.highestProtocol()));
            }
            if ((c.lowestProtocol() == 0x0200) != h.sslv2Compatible()) {
                problems.add(c.name() + ": SSLv2-compatible " + h.sslv2Compatible() + " vs lowest " + hex(c.lowestProtocol()));
            }
            if (h.extensionTypes().contains(0x002b) && h.minVersion() < c.lowestProtocol()) {
                problems.add(c.name() + ": supported_versions lowest " + hex(h.minVersion()) + " < column "
                        + hex(c.lowestProtocol()));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void decodedCipherSuitesMatchCipherColumns() throws MalformedHandshakeException {
        List<String> problems = new ArrayList<>();
        int compared = 0;
        for (SimulatedClient c : clients) {
            ClientHello h = ClientHelloReader.read(c.handshakeBytes());
            Set<Integer> column = new LinkedHashSet<>();
            for (String n : concat(c.ciphers(), c.tls13Ciphers())) {
                OptionalInt code = TlsRegistry.cipherSuiteCode(n);
                code.ifPresent(column::add);
            }
            Set<Integer> decoded = new LinkedHashSet<>();
            for (int s : h.cipherSuites()) {
                if (!TlsRegistry.isGrease(s) && s != 0x00ff && s != 0x5600 && TlsRegistry.openSslCipherName(s) != null) {
                    decoded.add(s);
                }
            }
            compared += decoded.size();
            if (!decoded.equals(column)) {
                problems.add(c.name() + ": decoded " + decoded + " vs column " + column);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(compared).isGreaterThan(162 * 5);
    }

    /**
     * JA4 and JA3 equal the reference values of {@code fingerprints/testssl-client-simulation.tsv}, made with
     * tshark (JA3: its {@code tls.handshake.ja3}; JA4: FoxIO's rules over its dissection), never with tlslens
     * (fingerprints/README.md). Rows without a reference value ({@code -}) are the SSLv2-compatible hellos.
     */
    @Test
    void fingerprintsMatchTheReferenceValues() throws Exception {
        Map<String, String[]> golden = GoldenFingerprints.load("/fingerprints/testssl-client-simulation.tsv");
        List<String> problems = new ArrayList<>();
        int compared = 0;
        int withoutReference = 0;
        for (SimulatedClient c : clients) {
            String[] want = golden.get(c.shortName());
            assertThat(want).as("golden row for %s", c.shortName()).isNotNull();
            ClientHello h = ClientHelloReader.read(c.handshakeBytes());
            if (want[0].equals("-")) {
                assertThat(h.sslv2Compatible()).as("%s has no reference value", c.shortName()).isTrue();
                withoutReference++;
                continue;
            }
            compared++;
            if (!Ja4.of(h).equals(want[0])) {
                problems.add(c.shortName() + ": JA4 " + Ja4.of(h) + ", reference " + want[0]);
            }
            if (!Ja3.hash(h).equals(want[1])) {
                problems.add(c.shortName() + ": JA3 " + Ja3.hash(h) + ", reference " + want[1]);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(compared).isEqualTo(160);
        assertThat(withoutReference).isEqualTo(2);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String hex(int v) {
        return String.format("0x%04x", v);
    }
}
