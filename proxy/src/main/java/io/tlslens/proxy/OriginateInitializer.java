package io.tlslens.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * The pipeline of one {@code mode = originate} connection: plain TCP from the client, TLS to the
 * backend (an egress sidecar). The backend connection and its handshake start when the client
 * connects; the client's bytes are queued by the {@link RelayHandler} until the backend handshake
 * has succeeded.
 */
final class OriginateInitializer extends ChannelInitializer<SocketChannel> {
    private final ListenerContext listener;
    private final ProxyMetrics metrics;
    private final BackendConnector connector;

    OriginateInitializer(ListenerContext listener, ProxyMetrics metrics, BackendConnector connector) {
        this.listener = listener;
        this.metrics = metrics;
        this.connector = connector;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!ConnectionAdmission.admit(ch, listener, metrics)) {
            return;
        }
        boolean proxyProtocol = listener.settings().proxyProtocol();
        ch.pipeline().addLast("relay", new RelayHandler(metrics.bytes(listener.name(), "client_to_backend"), () -> { }));
        ch.pipeline().addLast("connect", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                if (!proxyProtocol) {
                    ctx.pipeline().remove(this);
                    connector.connect(ctx.channel());
                }
                ctx.fireChannelActive();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ProxyProtocolReader.DECODED) { // connect once the client's real address is known
                    ctx.pipeline().remove(this);
                    connector.connect(ctx.channel());
                    return;
                }
                ctx.fireUserEventTriggered(evt);
            }
        });
    }
}
