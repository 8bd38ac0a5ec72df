package io.tlslens.proxy.passthrough;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Exact and one-label wildcard matching of SNI routes. */
class SniRouterTest {
    @Test
    void wildcardMatchesExactlyOneLeftLabel() {
        assertThat(SniRouter.matches("api.example.com", "api.example.com")).isTrue();
        assertThat(SniRouter.matches("api.example.com", "x.api.example.com")).isFalse();
        assertThat(SniRouter.matches("*.example.com", "a.example.com")).isTrue();
        assertThat(SniRouter.matches("*.example.com", "example.com")).isFalse();
        assertThat(SniRouter.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(SniRouter.matches("*.example.com", ".example.com")).isFalse();
    }
}
