package io.tlslens.inspector.cert;

import io.tlslens.inspector.cert.TestPki.Issued;
import io.tlslens.inspector.cert.TestPki.Spec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostnameMatcherTest {
    private static final Issued ROOT = TestPki.root("HM Root");

    private static Issued leaf(Spec s) {
        return TestPki.issue(s, ROOT);
    }

    @Test
    void exactDnsCaseInsensitiveAndTrailingDot() {
        Issued c = leaf(new Spec("CN=ignored.example.org").dns("www.Example.com"));
        assertThat(HostnameMatcher.matches("www.example.com", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("WWW.EXAMPLE.COM.", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("example.com", c.cert())).isFalse();
        assertThat(HostnameMatcher.matches("ignored.example.org", c.cert())).as("CN ignored when SANs exist").isFalse();
        assertThat(HostnameMatcher.matches(null, c.cert())).isFalse();
        assertThat(HostnameMatcher.matches("", c.cert())).isFalse();
    }

    @Test
    void wildcardCoversOneLeftMostLabel() {
        Issued c = leaf(new Spec("CN=w").dns("*.example.com"));
        assertThat(HostnameMatcher.matches("a.example.com", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("A.Example.COM", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("a.b.example.com", c.cert())).isFalse();
        assertThat(HostnameMatcher.matches("example.com", c.cert())).isFalse();
        assertThat(HostnameMatcher.matches(".example.com", c.cert())).isFalse();
        assertThat(HostnameMatcher.matches("*.example.com", c.cert())).isFalse();
    }

    @Test
    void badWildcardsNeverMatch() {
        assertThat(HostnameMatcher.dnsMatches("a.com", "*.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatches("foo.example.com", "f*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatches("a.b.example.com", "a.*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatches("a.b.example.com", "*.*.example.com")).isFalse();
        assertThat(HostnameMatcher.dnsMatches("a.example.com", "*.example.com.")).isTrue();
    }

    @Test
    void ipLiteralsMatchOnlyIpSans() {
        Issued c = leaf(new Spec("CN=10.0.0.1").dns("*.example.com", "10.0.0.2").ip("10.0.0.1", "2001:db8::1"));
        assertThat(HostnameMatcher.matches("10.0.0.1", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("10.0.0.2", c.cert())).as("DNS SAN never matches an IP").isFalse();
        assertThat(HostnameMatcher.matches("10.0.0.3", c.cert())).isFalse();
        assertThat(HostnameMatcher.matches("2001:DB8:0:0:0:0:0:1", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("[2001:db8::1]", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("2001:db8::2", c.cert())).isFalse();
    }

    @Test
    void wildcardNeverMatchesAnIp() {
        Issued c = leaf(new Spec("CN=w").dns("*.0.0.1"));
        assertThat(HostnameMatcher.matches("10.0.0.1", c.cert())).isFalse();
    }

    @Test
    void commonNameOnlyWithoutAnySan() {
        Issued c = leaf(new Spec("O=Org,CN=legacy.example.com"));
        assertThat(HostnameMatcher.matches("legacy.example.com", c.cert())).isTrue();
        assertThat(HostnameMatcher.matches("other.example.com", c.cert())).isFalse();
        Issued ipSanOnly = leaf(new Spec("CN=legacy.example.com").ip("192.0.2.1"));
        assertThat(HostnameMatcher.matches("legacy.example.com", ipSanOnly.cert()))
                .as("an IP SAN is a SAN: CN ignored").isFalse();
    }

    @Test
    void ipParsing() {
        assertThat(HostnameMatcher.parseIp("1.2.3.4")).containsExactly(1, 2, 3, 4);
        assertThat(HostnameMatcher.parseIp("1.2.3")).isNull();
        assertThat(HostnameMatcher.parseIp("1.2.3.256")).isNull();
        assertThat(HostnameMatcher.parseIp("example.com")).isNull();
        assertThat(HostnameMatcher.parseIp("::1")).hasSize(16);
        assertThat(HostnameMatcher.parseIp("::ffff:1.2.3.4")).endsWith(new byte[] {1, 2, 3, 4});
        assertThat(HostnameMatcher.parseIp("1::2::3")).isNull();
        assertThat(HostnameMatcher.parseIp("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(HostnameMatcher.parseIp("g::1")).isNull();
    }
}
