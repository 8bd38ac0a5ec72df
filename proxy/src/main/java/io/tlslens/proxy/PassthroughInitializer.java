package io.tlslens.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * The pipeline of one passthrough client connection (TLS end to end, nothing decrypted):
 * <pre>
 *   PassthroughTap   client records in, backend records out → PassthroughObservation; routes by SNI
 *                    once the ClientHello is complete; removes itself when data flowed both ways
 *   RelayHandler     bytes unchanged → backend (queued until the backend is connected)
 * </pre>
 * The backend channel: {@link BackendCloseWatcher}, then its {@link RelayHandler} back to the client.
 */
final class PassthroughInitializer extends ChannelInitializer<SocketChannel> {
    private final ListenerContext listener;
    private final ProxyMetrics metrics;
    private final PassthroughReporter reporter;
    private final PassthroughConnector connector;
    private final SniRouter router;

    PassthroughInitializer(ListenerContext listener, ProxyMetrics metrics, PassthroughReporter reporter,
                           PassthroughConnector connector) {
        this.listener = listener;
        this.metrics = metrics;
        this.reporter = reporter;
        this.connector = connector;
        this.router = new SniRouter(listener.settings());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!ConnectionAdmission.admit(ch, listener, metrics)) {
            return;
        }
        PassthroughObservation obs = new PassthroughObservation();
        ch.attr(PassthroughObservation.KEY).set(obs);
        ch.pipeline().addLast("tap", new PassthroughTap(obs, router, connector, reporter,
                listener.settings().handshakeTimeout()));
        ch.pipeline().addLast("relay", new RelayHandler(metrics.bytes(listener.name(), "client_to_backend"), () -> { }));
    }

    /** Builds the reporter, connector and initializer of one passthrough listener. */
    static PassthroughInitializer create(ListenerContext lc, Transport transport, ProxyMetrics metrics, FailureLog log,
                                         BackendProbe probe) {
        PassthroughReporter reporter = new PassthroughReporter(lc, metrics, log, probe);
        return new PassthroughInitializer(lc, metrics, reporter,
                new PassthroughConnector(lc.name(), transport, metrics, reporter));
    }
}
