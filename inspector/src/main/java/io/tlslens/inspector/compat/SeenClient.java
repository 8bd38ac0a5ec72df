package io.tlslens.inspector.compat;

import io.tlslens.inspector.wire.ClientHello;

import java.util.Objects;

/**
 * One distinct client, by JA4, in a {@link ClientHelloAggregate} snapshot.
 *
 * @param ja4            the JA4 fingerprint that keys it
 * @param count          ClientHellos seen with that JA4
 * @param representative the first ClientHello seen with that JA4
 * @param clientName     user-facing client name(s) known for that JA4 (e.g. from the testssl.sh corpus), or null
 */
public record SeenClient(String ja4, long count, ClientHello representative, String clientName) {
    /** Requires ja4 and representative; count must be positive. */
    public SeenClient {
        Objects.requireNonNull(ja4, "ja4");
        Objects.requireNonNull(representative, "representative");
        if (count <= 0) {
            throw new IllegalArgumentException("count " + count + " must be positive");
        }
    }
}
