package io.tlslens.proxy.passthrough;

import io.netty.channel.Channel;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.diagnosis.PassthroughDiagnoser;
import io.tlslens.inspector.diagnosis.PassthroughFacts.End;
import io.tlslens.inspector.diagnosis.PassthroughFacts;
import io.tlslens.inspector.diagnosis.ProbedBackend;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ServerFlight;
import io.tlslens.inspector.wire.ServerHello;
import io.tlslens.proxy.backend.BackendProbe;
import io.tlslens.proxy.conn.ClientAddress;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.telemetry.ClientHelloSeen;
import io.tlslens.proxy.telemetry.Failure;
import io.tlslens.proxy.telemetry.RouteCertificateGauges;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a passthrough connection's {@link PassthroughObservation} into its outcome, once. Leg label:
 * the one TLS handshake of a passthrough connection runs between the client and the backend and is
 * reported on leg {@code frontend} (the listener's side, where tlslens sees it pass by); who did what
 * is in {@code alert_sender} ({@code client}/{@code backend}/{@code proxy}) and the evidence. Only a TCP
 * connect failure to the backend is reported on leg {@code backend} (by the backend dialer). When the wire does not show
 * enough (a backend alert to the ClientHello, a certificate rejection with no Certificate message in
 * sight) the outcome waits for the {@link BackendProbe} of that backend and SNI, then is diagnosed on the
 * connection's event loop.
 */
final class PassthroughReporter {
    private static final long PROBE_WAIT_SECONDS = 15;

    private final ListenerContext listener;
    private final PassthroughDiagnoser diagnoser = new PassthroughDiagnoser();
    private final ChainAnalyzer analyzer = ChainAnalyzer.withSystemTrust(List.of());
    private final BackendProbe probe;
    private final RouteCertificateGauges certificates;

    /**
     * @param listener the passthrough listener
     * @param probe    asks a backend what it serves when the wire does not show it
     */
    PassthroughReporter(ListenerContext listener, BackendProbe probe) {
        this.listener = listener;
        this.probe = probe;
        this.certificates = new RouteCertificateGauges(listener.metrics(), listener.name());
    }

    /** Publishes a decoded ClientHello: counted, and seen for the compatibility view. */
    void clientHello(ClientHello hello) {
        listener.outcomes().clientHello(hello);
    }

    /** Counts the backend's HelloRetryRequest, by the group it asked for (-1: none named). */
    void helloRetryRequest(int group) {
        listener.outcomes().helloRetryRequest(Leg.FRONTEND, group);
    }

    /**
     * Counts the resumption outcome once the backend's flight has shown it: accepted when the session was
     * resumed, rejected when the client tried to resume and the backend made a full handshake.
     */
    void resumption(PassthroughObservation obs) {
        Boolean resumed = obs.resumptionOutcome(obs.client.last());
        if (resumed != null) {
            listener.outcomes().resumption(Leg.FRONTEND, resumed);
        }
    }

    /** The backend's chain as its TLS ≤ 1.2 Certificate message showed it: the expiry gauges of its route. */
    void chainSeen(PassthroughObservation obs) {
        if (obs.backend != null && obs.chainSeen != null && !obs.chainSeen.isEmpty()) {
            certificates.seenOnWire(obs.backend, obs.chainSeen);
        }
    }

    /**
     * Once a successful TLS 1.3 connection (whose chain was encrypted) has closed: probes the route's backend
     * for its chain (with this connection's SNI) when the route's gauges are stale, at most once per
     * {@link RouteCertificateGauges#REFRESH}.
     */
    private void probeChainIfStale(PassthroughObservation obs) {
        if (obs.backend == null || !obs.tls13() || obs.client.last() == null || !certificates.claimProbe(obs.backend)) {
            return;
        }
        Object route = obs.backend;
        probe.probe(obs.backend.address().toSocketAddress(), obs.client.last().serverName()).whenComplete((probed, error) -> {
            if (probed != null && probed.chain() != null && !probed.chain().chain().isEmpty()) {
                certificates.seen(route, probed.chain().chain());
            }
        });
    }

    /** Counts the handshake as a success (application data flowed both ways, or it completed and idled). */
    void succeed(Channel ch) {
        PassthroughObservation obs = PassthroughObservation.of(ch);
        if (obs == null || !obs.publishOnce()) {
            return;
        }
        countSuccess(ch, obs);
    }

    private void countSuccess(Channel ch, PassthroughObservation obs) {
        ServerHello sh = obs.serverHello;
        String protocol = sh == null ? null : TlsRegistry.versionProtocolName(sh.selectedVersion());
        String cipher = sh == null ? null : TlsRegistry.cipherSuiteName(sh.cipherSuite());
        listener.outcomes().success(Leg.FRONTEND, protocol, cipher, obs.serverFlight().resumed() == ServerFlight.Resumed.YES,
                obs.elapsedSeconds());
        // after the connection, not during it: the probe's own connections never compete with the client's
        ch.closeFuture().addListener(f -> probeChainIfStale(obs));
    }

    /** Reports an exception of ours as internal_error. */
    void internal(Channel ch, Throwable error) {
        PassthroughObservation obs = PassthroughObservation.of(ch);
        if (obs == null || !obs.publishOnce()) {
            return;
        }
        finish(ch, obs, End.INTERNAL_FAILURE, null, error);
    }

    /**
     * Reports the end of a handshake that did not succeed (yet); nothing when already reported.
     *
     * @param ch  the client channel
     * @param end how it ended
     */
    void fail(Channel ch, End end) {
        PassthroughObservation obs = PassthroughObservation.of(ch);
        if (obs == null || !obs.publishOnce()) {
            return;
        }
        if (!needsProbe(obs)) {
            finish(ch, obs, end, null, null);
            return;
        }
        InetSocketAddress address = obs.backend.address().toSocketAddress();
        CompletableFuture<ProbedBackend> f = probe.probe(address, obs.client.last().serverName())
                .orTimeout(PROBE_WAIT_SECONDS, TimeUnit.SECONDS);
        f.whenComplete((r, t) -> ch.eventLoop().execute(() -> finish(ch, obs, end,
                r != null ? r : new ProbedBackend(null, Map.of(), Set.of(), "probe did not finish: " + t), null)));
    }

    /** The wire alone does not decide: the backend refused the ClientHello, or the client rejected a chain not seen. */
    private static boolean needsProbe(PassthroughObservation obs) {
        if (obs.backend == null || obs.client.last() == null || obs.backendFirstBytes != null) {
            return false;
        }
        if (obs.serverHello == null) {
            return obs.backendAlert != null && obs.backendAlert.fatal();
        }
        if (obs.chainSeen != null) {
            return false;
        }
        return obs.clientAlert != null || obs.shape() == PassthroughFacts.ClientShape.SEALED_ALERT
                || obs.shape() == PassthroughFacts.ClientShape.COMPLETED_NO_DATA;
    }

    private void finish(Channel ch, PassthroughObservation obs, End end, ProbedBackend probed, Throwable error) {
        ChainAnalysis seen = null;
        if (obs.chainSeen != null && !obs.chainSeen.isEmpty()) {
            try {
                seen = analyzer.analyze(obs.chainSeen);
            } catch (RuntimeException e) {
                seen = null;
            }
        }
        ClientHello hello = obs.client.last();
        String requested = hello != null && hello.serverName() != null ? hello.serverName() : ClientAddress.localHost(ch);
        PassthroughFacts facts = PassthroughFacts.builder()
                .listener(listener.name())
                .backend(obs.backend == null ? null : backendText(obs))
                .end(end)
                .bytesFromClient(obs.peerBytes())
                .bytesFromBackend(obs.bytesFromBackend)
                .clientFirstBytes(obs.client.firstBytes())
                .backendFirstBytes(obs.backendFirstBytes)
                .clientHello(hello)
                .malformed(obs.malformed)
                .malformedFrom(obs.malformedFrom)
                .partialRecord(obs.partialRecord)
                .sniUnknown(obs.sniUnknown)
                .serverHello(obs.serverHello)
                .chainSeen(seen)
                .clientAlert(obs.clientAlert)
                .backendAlert(obs.backendAlert)
                .clientShape(obs.shape())
                .handshakeComplete(obs.handshakeComplete())
                .clientRecords(obs.clientRecords.toString())
                .probe(probed)
                .requestedName(requested)
                .now(Instant.now())
                .build();
        Diagnosis d = diagnoser.diagnose(facts).orElse(null);
        if (d == null) {
            if (obs.peerBytes() == 0) {
                listener.outcomes().empty();
            } else if (obs.handshakeComplete() && obs.shape() == PassthroughFacts.ClientShape.COMPLETED_NO_DATA) {
                listener.outcomes().abandoned(Leg.FRONTEND); // completed, closed before any data, no problem seen
            } else {
                countSuccess(ch, obs);
            }
            return;
        }
        ServerHello sh = obs.serverHello;
        ChainAnalysis chain = seen != null ? seen : probed != null ? probed.chain() : null;
        listener.outcomes().failure(new Failure(listener.connection(ch, Leg.FRONTEND, backendText(obs)), d,
                obs.elapsedSeconds(), error == null ? "" : error.toString(), ClientHelloSeen.of(hello, obs.client.arrival(),
                        obs.serverFlight().helloRetryRequest(), obs.serverFlight().helloRetryGroup()),
                sh == null ? null : TlsRegistry.versionProtocolName(sh.selectedVersion()),
                sh == null ? null : TlsRegistry.cipherSuiteName(sh.cipherSuite()),
                chain == null ? 0 : chain.chain().size(), error));
    }

    private static String backendText(PassthroughObservation obs) {
        return obs.backend == null ? "none" : obs.backend.address().toString();
    }
}
