package io.tlslens.inspector.corpus;

import java.util.List;

/**
 * One client of testssl.sh's client-simulation corpus: its recorded ClientHello and the columns
 * testssl.sh keeps beside it.
 *
 * @param name            user-facing client name, e.g. {@code Android 2.3.7}, {@code Chrome 101 (Win 10)}
 * @param shortName       testssl.sh's short id, e.g. {@code android_237}
 * @param ciphers         the {@code ciphers} column: OpenSSL names of the TLS ≤ 1.2 cipher suites
 *                        (and SCSV-free), in the client's order; unmodifiable
 * @param tls13Ciphers    the {@code ciphersuites} column: TLS 1.3 cipher suite names; unmodifiable, empty
 *                        when the client has none
 * @param handshakeBytes  the {@code handshakebytes} column: the raw bytes the client sent — one TLS record
 *                        (type 22) or an SSLv2-compatible record — holding its ClientHello
 * @param lowestProtocol  the {@code lowest_protocol} column as a wire version code (0x0300 = SSL 3.0 …)
 * @param highestProtocol the {@code highest_protocol} column as a wire version code (0x0304 = TLS 1.3)
 * @param current         the {@code current} column: testssl.sh shows the client by default
 */
public record SimulatedClient(String name, String shortName, List<String> ciphers, List<String> tls13Ciphers,
                              byte[] handshakeBytes, int lowestProtocol, int highestProtocol, boolean current) {
    /** Copies the lists and the byte array. */
    public SimulatedClient {
        ciphers = List.copyOf(ciphers);
        tls13Ciphers = List.copyOf(tls13Ciphers);
        handshakeBytes = handshakeBytes.clone();
    }

    /** @return a copy of {@link #handshakeBytes} (records are shallowly immutable otherwise) */
    @Override
    public byte[] handshakeBytes() {
        return handshakeBytes.clone();
    }
}
