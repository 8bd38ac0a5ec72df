package io.tlslens.inspector.policy;

import java.util.Optional;
import java.util.Set;

/**
 * The named TLS policies: Mozilla server-side TLS profiles ({@code modern}, {@code intermediate},
 * {@code old}) and the AWS ELB security policies.
 */
public final class NamedPolicies {
    private NamedPolicies() {
    }

    /** @return the policy of that name (case-sensitive), empty when unknown */
    public static Optional<TlsPolicy> byName(String name) {
        throw new UnsupportedOperationException("stub");
    }

    /** @return every known policy name */
    public static Set<String> names() {
        throw new UnsupportedOperationException("stub");
    }
}
