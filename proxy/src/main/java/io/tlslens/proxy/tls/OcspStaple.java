package io.tlslens.proxy.tls;

import java.time.Instant;
import java.util.Optional;

/**
 * The OCSP response stapled for one served certificate (RFC 6066 §8), replaced atomically by
 * {@link OcspStapler}; read on every handshake. Thread-safe.
 */
public final class OcspStaple {
    private record State(byte[] der, String revocation, Instant refreshAt) {
    }

    private volatile State state = new State(null, null, Instant.EPOCH);

    /** @return the DER OCSP response to staple, or null when none is held */
    public byte[] der() {
        byte[] d = state.der();
        return d == null ? null : d.clone();
    }

    /** @return evidence that the responder says the certificate is revoked, if it does */
    Optional<String> revocation() {
        return Optional.ofNullable(state.revocation());
    }

    /** @return when the staple should be fetched again */
    Instant refreshAt() {
        return state.refreshAt();
    }

    /** Replaces the staple. */
    void set(byte[] der, String revocation, Instant refreshAt) {
        state = new State(der == null ? null : der.clone(), revocation, refreshAt);
    }

    /** Keeps the staple, retries at {@code refreshAt}. */
    void retryAt(Instant refreshAt) {
        State s = state;
        state = new State(s.der(), s.revocation(), refreshAt);
    }
}
