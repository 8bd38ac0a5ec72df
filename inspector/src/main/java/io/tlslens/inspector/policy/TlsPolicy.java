package io.tlslens.inspector.policy;

import java.util.List;

/**
 * What one side accepts: protocol versions, cipher suites, named groups and signature schemes,
 * all as IANA wire codes.
 *
 * @param name              profile name ({@code intermediate}, {@code ELBSecurityPolicy-TLS13-1-2-2021-06}, {@code custom})
 * @param versions          accepted protocol versions, ascending wire codes (0x0301 … 0x0304)
 * @param cipherSuites      accepted TLS ≤ 1.2 cipher suites, in preference order
 * @param tls13CipherSuites accepted TLS 1.3 cipher suites
 * @param groups            accepted named groups (supported_groups codes)
 * @param signatureSchemes  accepted signature schemes; empty means "whatever the key can make"
 */
public record TlsPolicy(String name, List<Integer> versions, List<Integer> cipherSuites,
                        List<Integer> tls13CipherSuites, List<Integer> groups, List<Integer> signatureSchemes) {
    public TlsPolicy {
        versions = List.copyOf(versions);
        cipherSuites = List.copyOf(cipherSuites);
        tls13CipherSuites = List.copyOf(tls13CipherSuites);
        groups = List.copyOf(groups);
        signatureSchemes = List.copyOf(signatureSchemes);
    }
}
