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

    BackendConnector(ListenerContext listener, Transport transport, ProxyMetrics metrics, HandshakeReporter reporter) {
        this.listener = listener;
        this.transport = transport;
        this.metrics = metrics;
        this.reporter = reporter;
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
                        ch.pipeline().addLast(backRelay);
                    }
                });
        ChannelFuture f = b.connect(listener.backendAddress());
        f.addListener(done -> {
            if (done.isSuccess()) {
                backRelay.attach(frontend);
                frontRelay.attach(f.channel());
                frontend.config().setAutoRead(true);
                if (!frontend.isActive()) {
                    RelayHandler.closeOnFlush(f.channel());
                }
            } else {
                reporter.backendConnectFailed(frontend, classify(done.cause()), done.cause(),
                        (System.nanoTime() - start) / 1_000_000);
                RelayHandler.closeOnFlush(frontend);
            }
        });
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
