package io.tlslens.inspector.compat;

import io.tlslens.inspector.fingerprint.Ja4;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ClientHelloReader;
import io.tlslens.inspector.wire.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientHelloAggregateTest {
    static ClientHello hello(String fixture) throws Exception {
        return ClientHelloReader.read(Fixtures.stream(fixture));
    }

    @Test
    void countsByJa4KeepsFirstAsRepresentativeAndNames() throws Exception {
        ClientHello tls13 = hello("openssl_tls13");
        ClientHello curl = hello("curl");
        ClientHelloAggregate agg = new ClientHelloAggregate(10, Map.of(Ja4.of(curl), "curl 7.88"));
        agg.record(tls13);
        agg.record(curl);
        agg.record(curl);
        List<SeenClient> snap = agg.snapshot();
        assertThat(snap).extracting(SeenClient::count).containsExactly(2L, 1L);
        assertThat(snap.get(0).clientName()).isEqualTo("curl 7.88");
        assertThat(snap.get(0).representative()).isEqualTo(curl);
        assertThat(snap.get(1).clientName()).isNull();
        assertThat(agg.total()).isEqualTo(3);
        assertThat(agg.evictions()).isZero();
    }

    @Test
    void evictsTheLeastSeenWhenFull() throws Exception {
        ClientHelloAggregate agg = new ClientHelloAggregate(2, Map.of());
        ClientHello a = hello("openssl_tls13");
        ClientHello b = hello("openssl_tls12");
        ClientHello c = hello("openssl_tls10");
        agg.record(a);
        agg.record(a);
        agg.record(b);
        agg.record(c); // evicts b (count 1, older than c)
        assertThat(agg.snapshot()).extracting(SeenClient::ja4).containsExactlyInAnyOrder(Ja4.of(a), Ja4.of(c));
        assertThat(agg.evictions()).isEqualTo(1);
        assertThat(agg.total()).isEqualTo(4);
        assertThatThrownBy(() -> new ClientHelloAggregate(0, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentRecordsAreAllCounted() throws Exception {
        ClientHelloAggregate agg = new ClientHelloAggregate(3, Map.of());
        List<ClientHello> hellos = List.of(hello("openssl_tls13"), hello("curl"), hello("jdk17"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            pool.submit(() -> {
                for (int i = 0; i < 3_000; i++) {
                    agg.record(hellos.get(i % 3));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agg.total()).isEqualTo(12_000);
        assertThat(agg.snapshot()).extracting(SeenClient::count).containsOnly(4_000L);
    }
}
