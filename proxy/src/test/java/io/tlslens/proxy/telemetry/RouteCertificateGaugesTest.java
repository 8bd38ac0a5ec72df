package io.tlslens.proxy.telemetry;

import io.tlslens.proxy.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Passthrough expiry series: one set per route, replaced when the route's chain changes, shared series kept. */
class RouteCertificateGaugesTest {
    @TempDir
    Path dir;

    @Test
    void eachRouteKeepsOnlyItsLatestChain() throws Exception {
        TestPki pki = new TestPki(dir);
        ProxyMetrics metrics = new ProxyMetrics();
        RouteCertificateGauges gauges = new RouteCertificateGauges(metrics, "pt");
        var inter = pki.intermediate.cert();
        Object api = "api route";
        Object web = "default backend";
        gauges.seenOnWire(api, List.of(pki.leaf("api.internal").cert(), inter));
        gauges.seenOnWire(api, List.of(pki.leaf("api.internal").cert(), inter)); // another SNI, another leaf of the same route
        gauges.seenOnWire(web, List.of(pki.leaf("web.internal").cert(), inter));
        assertThat(gauges.size()).as("the route's latest leaf, web's leaf, the shared intermediate").isEqualTo(3);
        String text = metrics.scrape();
        assertThat(text.lines().filter(l -> l.startsWith("tlslens_certificate_expiry_timestamp_seconds{"))).hasSize(3);
        assertThat(text).contains("CN=api.internal").contains("CN=web.internal").contains("leg=\"backend\"");

        // the api route renews onto a chain without the intermediate: the intermediate stays for web
        gauges.seenOnWire(api, List.of(pki.selfSigned("api.internal").cert()));
        assertThat(gauges.size()).isEqualTo(3);
        // web changes too: the intermediate is gone
        gauges.seenOnWire(web, List.of(pki.selfSigned("web.internal").cert()));
        assertThat(gauges.size()).isEqualTo(2);
        assertThat(metrics.scrape()).doesNotContain("role=\"intermediate\"");
    }

    @Test
    void aRouteIsProbedAtMostOncePerRefresh() {
        RouteCertificateGauges gauges = new RouteCertificateGauges(new ProxyMetrics(), "pt");
        assertThat(gauges.stale("r")).isTrue();
        assertThat(gauges.claimProbe("r")).isTrue();
        assertThat(gauges.claimProbe("r")).as("claimed: the next connection does not probe").isFalse();
        assertThat(gauges.size()).isZero();
    }
}
