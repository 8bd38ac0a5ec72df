package io.tlslens.proxy.telemetry;

import io.tlslens.proxy.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Backend certificates seen get expiry series, bounded: the least recently seen is evicted and its series removed. */
class SeenCertificateGaugesTest {
    @TempDir
    Path dir;

    @Test
    void evictsTheLeastRecentlySeenCertificateAndRemovesItsSeries() throws Exception {
        TestPki pki = new TestPki(dir);
        ProxyMetrics metrics = new ProxyMetrics();
        SeenCertificateGauges seen = new SeenCertificateGauges(metrics, "web", 3);
        var a = pki.leaf("a.internal").cert();
        var b = pki.leaf("b.internal").cert();
        var c = pki.leaf("c.internal").cert();
        seen.seen(List.of(a, pki.intermediate.cert()));
        seen.seen(List.of(b, pki.intermediate.cert()));
        assertThat(seen.size()).isEqualTo(3);
        seen.seen(List.of(c, pki.intermediate.cert()));
        assertThat(seen.size()).isEqualTo(3);
        String text = metrics.scrape();
        assertThat(text).doesNotContain("CN=a.internal").contains("CN=b.internal").contains("CN=c.internal")
                .contains("role=\"intermediate\"");
        assertThat(text).contains("leg=\"backend\"");
    }
}
