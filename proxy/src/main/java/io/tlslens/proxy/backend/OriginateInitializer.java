package io.tlslens.proxy.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.tlslens.proxy.conn.ConnectionAdmission;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.ProxyProtocolReader;
import io.tlslens.proxy.conn.RelayHandler;

/**
 * The pipeline of one {@code mode = originate} connection: plain TCP from the client, TLS to the
 * backend (an egress sidecar). The backend connection and its handshake start when the client
 * connects; the client's bytes are queued by the {@link RelayHandler} until the backend handshake
 * has succeeded.
 */
public final class OriginateInitializer extends ChannelInitializer<SocketChannel> {
    private final ListenerContext listener;
    private final BackendConnector connector;

    /**
     * @param listener  the originate listener
     * @param connector connects its TLS backend
     */
    public OriginateInitializer(ListenerContext listener, BackendConnector connector) {
        this.listener = listener;
        this.connector = connector;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!ConnectionAdmission.admit(ch, listener)) {
            return;
        }
        boolean proxyProtocol = listener.settings().proxyProtocol();
        ch.pipeline().addLast("relay", new RelayHandler(listener.metrics().bytes(listener.name(), "client_to_backend")));
        ch.pipeline().addLast("connect", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                if (!proxyProtocol) {
                    ctx.pipeline().remove(this);
                    connector.connect(ctx.channel(), null);
                }
                ctx.fireChannelActive();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ProxyProtocolReader.DECODED) { // connect once the client's real address is known
                    ctx.pipeline().remove(this);
                    connector.connect(ctx.channel(), null);
                    return;
                }
                ctx.fireUserEventTriggered(evt);
            }
        });
    }
}
