package io.tlslens.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.tlslens.config.BackendSettings;

/**
 * Opens the TCP connection to the backend {@link SniRouter} chose for a passthrough client, on the
 * client channel's event loop, once the ClientHello is complete (it waits, queued in the client's
 * {@link RelayHandler}). The backend pipeline is a {@link BackendCloseWatcher} and the relay back to
 * the client. A connect failure is reported (leg {@code backend}) and the client closed.
 */
final class PassthroughConnector {
    private final String listener;
    private final Transport transport;
    private final ProxyMetrics metrics;
    private final PassthroughReporter reporter;

    PassthroughConnector(String listener, Transport transport, ProxyMetrics metrics, PassthroughReporter reporter) {
        this.listener = listener;
        this.transport = transport;
        this.metrics = metrics;
        this.reporter = reporter;
    }

    /**
     * @param frontend the client channel (with a {@link PassthroughObservation} and a {@link RelayHandler})
     * @param backend  where to connect
     */
    void connect(Channel frontend, BackendSettings backend) {
        long start = System.nanoTime();
        PassthroughObservation obs = frontend.attr(PassthroughObservation.KEY).get();
        frontend.config().setAutoRead(false);
        RelayHandler frontRelay = frontend.pipeline().get(RelayHandler.class);
        RelayHandler backRelay = new RelayHandler(metrics.bytes(listener, "backend_to_client"), () -> { });
        Bootstrap b = new Bootstrap()
                .group(frontend.eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) backend.connectTimeout().toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ProxyProtocolWriter.install(ch.pipeline(), backend.proxyProtocol(), frontend);
                        ch.pipeline().addLast(new BackendCloseWatcher(obs), backRelay);
                    }
                });
        ChannelFuture f = b.connect(backend.address().toSocketAddress());
        obs.backendChannel = f.channel();
        f.addListener(done -> {
            if (done.isSuccess()) {
                backRelay.attach(frontend);
                frontRelay.attach(f.channel());
                frontend.config().setAutoRead(true);
                if (!frontend.isActive()) {
                    RelayHandler.closeOnFlush(f.channel());
                }
            } else {
                reporter.backendConnectFailed(frontend, backend, BackendConnector.classify(done.cause()), done.cause(),
                        (System.nanoTime() - start) / 1_000_000);
                RelayHandler.closeOnFlush(frontend);
            }
        });
    }
}
