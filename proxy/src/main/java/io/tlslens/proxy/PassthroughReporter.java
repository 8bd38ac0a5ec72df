package io.tlslens.proxy;

import io.netty.channel.Channel;
import io.tlslens.config.BackendSettings;
import io.tlslens.inspector.cert.ChainAnalysis;
import io.tlslens.inspector.cert.ChainAnalyzer;
import io.tlslens.inspector.diagnosis.AlertSender;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.Diagnosis;
import io.tlslens.inspector.diagnosis.FixHints;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.diagnosis.PassthroughDiagnoser;
import io.tlslens.inspector.diagnosis.PassthroughFacts;
import io.tlslens.inspector.diagnosis.PassthroughFacts.End;
import io.tlslens.inspector.diagnosis.ProbedBackend;
import io.tlslens.inspector.registry.TlsRegistry;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ServerHello;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a passthrough connection's {@link PassthroughObservation} into its outcome, once. Leg label:
 * the one TLS handshake of a passthrough connection runs between the client and the backend and is
 * reported on leg {@code frontend} (the listener's side, where tlslens sees it pass by); who did what
 * is in {@code alert_sender} ({@code client}/{@code backend}/{@code proxy}) and the evidence. Only a TCP
 * connect failure to the backend is reported on leg {@code backend}. When the wire does not show
 * enough (a backend alert to the ClientHello, a certificate rejection with no Certificate message in
 * sight) the outcome waits for the {@link BackendProbe} of that backend and SNI, then is diagnosed on the
 * connection's event loop.
 */
final class PassthroughReporter {
    private static final long PROBE_WAIT_SECONDS = 15;

    private final ListenerContext listener;
    private final PassthroughDiagnoser diagnoser = new PassthroughDiagnoser();
    private final ChainAnalyzer analyzer = ChainAnalyzer.withSystemTrust(java.util.List.of());
    private final ProxyMetrics metrics;
    private final FailureLog log;
    private final BackendProbe probe;

    PassthroughReporter(ListenerContext listener, ProxyMetrics metrics, FailureLog log, BackendProbe probe) {
        this.listener = listener;
        this.metrics = metrics;
        this.log = log;
        this.probe = probe;
    }

    /** Counts a decoded ClientHello by its highest offered version and SNI presence. */
    void clientHello(ClientHello hello) {
        metrics.clientHello(listener.name(), hello.maxVersion(), hello.serverName() != null);
    }

    /** Counts the handshake as a success (application data flowed both ways, or it completed and idled). */
    void succeed(Channel ch) {
        PassthroughObservation obs = ch.attr(PassthroughObservation.KEY).get();
        if (obs == null || obs.reported) {
            return;
        }
        obs.reported = true;
        countSuccess(obs);
    }

    private void countSuccess(PassthroughObservation obs) {
        ServerHello sh = obs.serverHello;
        String protocol = sh == null ? "unknown" : String.valueOf(TlsRegistry.versionProtocolName(sh.selectedVersion()));
        String cipher = sh == null ? "unknown" : TlsRegistry.cipherSuiteName(sh.cipherSuite());
        metrics.handshake(listener.name(), Leg.FRONTEND.label(), listener.mode(), protocol, cipher, obs.elapsedSeconds());
    }

    /** Reports an exception of ours as internal_error. */
    void internal(Channel ch, Throwable error) {
        PassthroughObservation obs = ch.attr(PassthroughObservation.KEY).get();
        if (obs == null || obs.reported) {
            return;
        }
        obs.reported = true;
        finish(ch, obs, End.INTERNAL_FAILURE, null, error);
    }

    /**
     * Reports the end of a handshake that did not succeed (yet); nothing when already reported.
     *
     * @param ch  the client channel
     * @param end how it ended
     */
    void fail(Channel ch, End end) {
        PassthroughObservation obs = ch.attr(PassthroughObservation.KEY).get();
        if (obs == null || obs.reported) {
            return;
        }
        obs.reported = true;
        if (!needsProbe(obs)) {
            finish(ch, obs, end, null, null);
            return;
        }
        InetSocketAddress address = obs.backend.address().toSocketAddress();
        CompletableFuture<ProbedBackend> f = probe.probe(address, obs.clientHello.serverName())
                .orTimeout(PROBE_WAIT_SECONDS, TimeUnit.SECONDS);
        f.whenComplete((r, t) -> ch.eventLoop().execute(() -> finish(ch, obs, end,
                r != null ? r : new ProbedBackend(null, Map.of(), java.util.Set.of(), "probe did not finish: " + t), null)));
    }

    /** The wire alone does not decide: the backend refused the ClientHello, or the client rejected a chain not seen. */
    private static boolean needsProbe(PassthroughObservation obs) {
        if (obs.backend == null || obs.clientHello == null || obs.backendFirstBytes != null) {
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
        ClientHello hello = obs.clientHello;
        String requested = hello != null && hello.serverName() != null ? hello.serverName() : hostOf(ch.localAddress());
        PassthroughFacts facts = new PassthroughFacts(listener.name(), backendText(obs), end, obs.bytesFromClient,
                obs.bytesFromBackend, obs.clientFirstBytes, obs.backendFirstBytes, hello, obs.malformed, obs.malformedFrom,
                obs.partialRecord, obs.sniUnknown, obs.serverHello, seen, obs.clientAlert, obs.backendAlert, obs.shape(),
                obs.handshakeComplete(), obs.clientRecords.toString(), probed, requested, Instant.now());
        Diagnosis d = diagnoser.diagnose(facts).orElse(null);
        if (d == null) {
            if (obs.bytesFromClient == 0) {
                metrics.empty(listener.name()).increment();
            } else {
                countSuccess(obs);
            }
            return;
        }
        metrics.failure(listener.name(), Leg.FRONTEND.label(), listener.mode(), d, obs.elapsedSeconds());
        ServerHello sh = obs.serverHello;
        ChainAnalysis chain = seen != null ? seen : probed != null ? probed.chain() : null;
        Map<String, Object> event = FailureEvent.of(info(ch, obs, Leg.FRONTEND), d, Math.round(obs.elapsedSeconds() * 1000),
                error == null ? "" : error.toString(), hello,
                sh == null ? null : TlsRegistry.versionProtocolName(sh.selectedVersion()),
                sh == null ? null : TlsRegistry.cipherSuiteName(sh.cipherSuite()),
                chain == null ? 0 : chain.chain().size());
        log.log(event, d.cause() == Cause.INTERNAL_ERROR ? error : null);
    }

    /**
     * Reports a TCP connect failure to the chosen backend: {@code proxy_backend_connect_failures_total}
     * and a log line on leg {@code backend}.
     */
    void backendConnectFailed(Channel frontend, BackendSettings backend, Cause cause, Throwable error, long durationMs) {
        PassthroughObservation obs = frontend.attr(PassthroughObservation.KEY).get();
        if (obs != null) {
            obs.reported = true;
        }
        metrics.backendConnectFailure(listener.name(), cause);
        String summary = "could not open TCP to backend " + backend.address() + " for passthrough listener '"
                + listener.name() + "': " + error.getMessage();
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        evidence.put("connect_timeout_ms", Long.toString(backend.connectTimeout().toMillis()));
        Diagnosis d = new Diagnosis(cause, summary, FixHints.forCause(cause), null, AlertSender.NONE, null, null, evidence);
        log.log(FailureEvent.of(info(frontend, obs, Leg.BACKEND), d, durationMs, "",
                obs == null ? null : obs.clientHello, null, null, 0), null);
    }

    private static String backendText(PassthroughObservation obs) {
        return obs.backend == null ? null : obs.backend.address().toString();
    }

    private ConnectionInfo info(Channel ch, PassthroughObservation obs, Leg leg) {
        String backend = obs == null || obs.backend == null ? "none" : obs.backend.address().toString();
        return new ConnectionInfo(listener.name(), leg.label(), listener.mode(), ch.id().asShortText(),
                ClientAddress.of(ch).sourceText(), backend);
    }

    private static String hostOf(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() : null;
    }
}
