package io.tlslens.config;

import io.tlslens.inspector.policy.TlsPolicy;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings of the backend leg (tlslens ↔ backend).
 *
 * @param enabled           false: plain TCP to the backend (all other fields are still filled with defaults)
 * @param trustFile         PEM bundle of trusted roots; empty = the system trust store
 * @param trustCertificates the certificates loaded from {@code trustFile}; empty for the system store
 * @param serverName        the SNI sent and the name verified; empty = none configured
 * @param verifyHostname    verify the backend certificate against {@code serverName} (or the address host)
 * @param certificate       client certificate for mutual TLS, if configured
 * @param policy            the effective policy offered to the backend
 * @param alpn              the ALPN protocol IDs offered to the backend, in order of preference; empty = none
 * @param crls              CRLs from {@code crl}; a backend certificate listed on one is refused as revoked
 * @param ocsp              ask each backend certificate's OCSP responder (from its AIA) after the handshake
 */
public record BackendTls(boolean enabled, Optional<Path> trustFile, List<X509Certificate> trustCertificates,
                         Optional<String> serverName, boolean verifyHostname, Optional<CertificateKeyPair> certificate,
                         TlsPolicy policy, List<String> alpn, List<X509CRL> crls, boolean ocsp) {
    public BackendTls {
        Objects.requireNonNull(trustFile, "trustFile");
        trustCertificates = List.copyOf(trustCertificates);
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(policy, "policy");
        alpn = List.copyOf(alpn);
        crls = List.copyOf(crls);
    }
}
