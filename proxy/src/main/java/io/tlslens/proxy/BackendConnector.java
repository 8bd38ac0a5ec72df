package io.tlslens.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.tlslens.inspector.diagnosis.Cause;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Opens the backend TCP connection for a client whose handshake succeeded, on the client channel's
 * own event loop, and wires the two {@link RelayHandler}s together. A connect failure is classified
 * ({@code backend_connect_refused} / {@code _timeout} / {@code backend_unreachable}), reported, and
 * the client is closed cleanly.
 */
final class BackendConnector {
    private final ListenerContext listener;
    private final Transport transport;
    private final ProxyMetrics metrics;
    private final HandshakeReporter reporter;
    private final BackendTlsContext tls;
    private final BackendReporter backendReporter;
    private final OcspChecker ocsp;

    /**
     * @param listener        the listener
     * @param transport       socket transport
     * @param metrics         metrics
     * @param reporter        the frontend reporter (connect failures, handshake confirmation)
     * @param tls             the backend TLS context, or null for plain TCP to the backend
     * @param backendReporter reports backend-leg handshakes; null when tls is null
     */
    BackendConnector(ListenerContext listener, Transport transport, ProxyMetrics metrics, HandshakeReporter reporter,
                     BackendTlsContext tls, BackendReporter backendReporter) {
        this.listener = listener;
        this.transport = transport;
        this.metrics = metrics;
        this.reporter = reporter;
        this.tls = tls;
        this.backendReporter = backendReporter;
        this.ocsp = tls != null && tls.ocsp() ? new OcspChecker() : null;
    }

    /**
     * Connects to the listener's backend for this client.
     *
     * @param frontend the client channel; its {@link RelayHandler} queues data until the backend is attached
     */
    void connect(Channel frontend) {
        long start = System.nanoTime();
        frontend.config().setAutoRead(false);
        RelayHandler frontRelay = frontend.pipeline().get(RelayHandler.class);
        RelayHandler backRelay = new RelayHandler(metrics.bytes(listener.name(), "backend_to_client"),
                () -> reporter.succeed(frontend));
        Bootstrap b = new Bootstrap()
                .group(frontend.eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) listener.settings().backend().connectTimeout().toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ProxyProtocolWriter.install(ch.pipeline(), listener.settings().backend().proxyProtocol(), frontend);
                        if (tls != null) {
                            String serverName = tls.serverName(clientSni(frontend));
                            BackendObservation obs = new BackendObservation(serverName);
                            ch.attr(BackendObservation.KEY).set(obs);
                            ch.pipeline().addLast("backend-tap", new BackendRecordTap(obs));
                            ch.pipeline().addLast("backend-tls", tls.newHandler(ch.alloc(), serverName));
                            ch.pipeline().addLast("backend-outcome", new BackendHandshakeHandler(obs, backendReporter,
                                    frontend, listener.settings().handshakeTimeout(),
                                    () -> join(frontend, frontRelay, ch, backRelay), ocsp));
                        }
                        ch.pipeline().addLast("relay", backRelay);
                    }
                });
        ChannelFuture f = b.connect(listener.backendAddress());
        f.addListener(done -> {
            if (done.isSuccess()) {
                if (tls == null) {
                    join(frontend, frontRelay, f.channel(), backRelay);
                }
            } else {
                reporter.backendConnectFailed(frontend, classify(done.cause()), done.cause(),
                        (System.nanoTime() - start) / 1_000_000);
                RelayHandler.closeOnFlush(frontend);
            }
        });
    }

    /** Attaches the two relays to each other and resumes reading from the client. */
    private static void join(Channel frontend, RelayHandler frontRelay, Channel backend, RelayHandler backRelay) {
        backRelay.attach(frontend);
        frontRelay.attach(backend);
        frontend.config().setAutoRead(true);
        if (!frontend.isActive()) {
            RelayHandler.closeOnFlush(backend);
        }
    }

    private static String clientSni(Channel frontend) {
        HandshakeObservation obs = frontend.attr(HandshakeObservation.KEY).get();
        return obs == null || obs.clientHello == null ? null : obs.clientHello.serverName();
    }

    /**
     * @param error the connect failure
     * @return backend_connect_timeout, backend_connect_refused or backend_unreachable
     */
    static Cause classify(Throwable error) {
        if (error instanceof ConnectTimeoutException) {
            return Cause.BACKEND_CONNECT_TIMEOUT;
        }
        if (error instanceof NoRouteToHostException || error instanceof UnknownHostException
                || error instanceof UnresolvedAddressException) {
            return Cause.BACKEND_UNREACHABLE;
        }
        if (error instanceof ConnectException) {
            String m = String.valueOf(error.getMessage()).toLowerCase(java.util.Locale.ROOT);
            return m.contains("unreachable") || m.contains("no route") ? Cause.BACKEND_UNREACHABLE
                    : Cause.BACKEND_CONNECT_REFUSED;
        }
        return Cause.BACKEND_UNREACHABLE;
    }
}
