package io.tlslens.config;

import io.tlslens.inspector.policy.NamedPolicies;
import io.tlslens.inspector.policy.TlsPolicy;
import io.tlslens.inspector.registry.TlsRegistry;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The TLS names the loader resolves: policies, protocol versions, cipher suites.
 * Production uses {@link #INSPECTOR}; tests may supply their own.
 */
interface TlsCatalog {
    /** Protocol names accepted in {@code protocols}, for messages. */
    List<String> PROTOCOL_NAMES = List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    Optional<TlsPolicy> policy(String name);

    Set<String> policyNames();

    OptionalInt versionCode(String name);

    OptionalInt cipherSuiteCode(String name);

    /** The inspector's registries and named policies. */
    TlsCatalog INSPECTOR = new TlsCatalog() {
        @Override
        public Optional<TlsPolicy> policy(String name) {
            return NamedPolicies.byName(name);
        }

        @Override
        public Set<String> policyNames() {
            return NamedPolicies.names();
        }

        @Override
        public OptionalInt versionCode(String name) {
            return TlsRegistry.versionCode(name);
        }

        @Override
        public OptionalInt cipherSuiteCode(String name) {
            return TlsRegistry.cipherSuiteCode(name);
        }
    };
}
