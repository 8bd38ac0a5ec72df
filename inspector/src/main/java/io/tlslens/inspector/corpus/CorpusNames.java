package io.tlslens.inspector.corpus;

import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.wire.ClientHelloReader;
import io.tlslens.inspector.wire.MalformedHandshakeException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** User-facing client names by JA4, from a client-simulation corpus. */
public final class CorpusNames {
    private CorpusNames() {
    }

    /**
     * @param clients corpus clients
     * @return JA4 → names of the clients with that JA4, joined by {@code ", "} in corpus order;
     *         clients whose bytes do not decode are skipped
     */
    public static Map<String, String> byJa4(List<SimulatedClient> clients) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SimulatedClient c : clients) {
            try {
                String ja4 = Ja4.of(ClientHelloReader.read(c.handshakeBytes()));
                out.merge(ja4, c.name(), (a, b) -> a + ", " + b);
            } catch (MalformedHandshakeException e) {
                // not nameable: skipped
            }
        }
        return out;
    }
}
