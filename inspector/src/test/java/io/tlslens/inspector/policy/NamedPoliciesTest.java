package io.tlslens.inspector.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NamedPoliciesTest {
    private static final String[] ALL = {"modern", "intermediate", "old", "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-FS-1-2-2019-08", "ELBSecurityPolicy-FS-1-1-2019-08"};

    @Test
    void everyPolicyLoadsAndIsListed() {
        assertThat(NamedPolicies.names()).containsExactly(ALL);
        for (String n : ALL) {
            TlsPolicy p = NamedPolicies.byName(n).orElseThrow();
            assertThat(p.name()).isEqualTo(n);
            assertThat(p.versions()).isNotEmpty().isSorted();
            assertThat(p.groups()).contains(0x001D, 0x0017, 0x0018);
            assertThat(p.cipherSuites()).doesNotHaveDuplicates().noneMatch(CipherSuites::isTls13);
            assertThat(p.tls13CipherSuites()).allMatch(CipherSuites::isTls13);
            assertThat(p.versions().contains(0x0304)).isEqualTo(!p.tls13CipherSuites().isEmpty());
            assertThat(p.versions().stream().anyMatch(v -> v < 0x0304)).isEqualTo(!p.cipherSuites().isEmpty());
        }
        assertThat(NamedPolicies.byName("Intermediate")).isEmpty();
    }

    @Test
    void sizesMatchTheSources() {
        assertThat(NamedPolicies.byName("modern").orElseThrow().versions()).containsExactly(0x0304);
        assertThat(NamedPolicies.byName("intermediate").orElseThrow().cipherSuites()).hasSize(9);
        assertThat(NamedPolicies.byName("old").orElseThrow().cipherSuites()).hasSize(26);
        assertThat(NamedPolicies.byName("old").orElseThrow().versions()).containsExactly(0x0301, 0x0302, 0x0303, 0x0304);
        assertThat(NamedPolicies.byName("ELBSecurityPolicy-TLS13-1-2-2021-06").orElseThrow().cipherSuites()).hasSize(12);
        assertThat(NamedPolicies.byName("ELBSecurityPolicy-TLS-1-2-2017-01").orElseThrow().versions()).containsExactly(0x0303);
        assertThat(NamedPolicies.byName("ELBSecurityPolicy-FS-1-2-2019-08").orElseThrow().cipherSuites()).hasSize(12);
        assertThat(NamedPolicies.byName("ELBSecurityPolicy-FS-1-1-2019-08").orElseThrow().versions())
                .containsExactly(0x0302, 0x0303);
    }
}
