package io.tlslens.config;

import io.tlslens.inspector.policy.TlsPolicy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings of the frontend leg (client ↔ tlslens).
 *
 * @param certificates         server certificates; the first is the default, others are chosen by SNI;
 *                             empty for passthrough and originate listeners
 * @param policy               the effective policy (named policy plus {@code protocols}/{@code cipher-suites} overrides)
 * @param requireSni           refuse ClientHellos without {@code server_name}
 * @param alpn                 the ALPN protocol IDs offered, in order of preference (RFC 7301); empty = no ALPN
 *                             negotiation
 * @param clientAuth           whether a client certificate is requested
 * @param clientCa             the PEM bundle of CAs that issue client certificates; present when clientAuth != NONE
 * @param clientCaCertificates the certificates loaded from {@code clientCa}
 * @param ocspStapling         fetch an OCSP response for each served certificate from its AIA responder, keep it
 *                             fresh, and staple it (RFC 6066 §8 status_request)
 * @param clientTrust          extra roots the clients are expected to trust (from the {@code client-trust} PEM);
 *                             empty for {@code system}
 * @param sessionResumption    resume TLS sessions (session tickets and the session cache)
 */
public record FrontendTls(List<CertificateKeyPair> certificates, TlsPolicy policy, boolean requireSni,
                          List<String> alpn, ClientAuth clientAuth, Optional<Path> clientCa,
                          List<X509Certificate> clientCaCertificates, List<X509Certificate> clientTrust,
                          boolean ocspStapling, boolean sessionResumption) {
    public FrontendTls {
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(policy, "policy");
        alpn = List.copyOf(alpn);
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(clientCa, "clientCa");
        clientCaCertificates = List.copyOf(clientCaCertificates);
        clientTrust = List.copyOf(clientTrust);
    }
}
