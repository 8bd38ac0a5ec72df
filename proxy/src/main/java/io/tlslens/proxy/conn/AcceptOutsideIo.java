package io.tlslens.proxy.conn;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On a listening channel, ahead of Netty's acceptor: passes each accepted connection on from a task of the event
 * loop instead of at once. The listening sockets share the event loops with the connections, so the acceptor would
 * otherwise register a new connection inside the handling of a batch of epoll events, where its descriptor may be
 * that of a socket closed earlier in the batch, whose remaining events Netty would hand to it (the same hazard as
 * {@link Transport#connect}). Stateless: one instance serves every listener.
 */
@ChannelHandler.Sharable
public final class AcceptOutsideIo extends ChannelInboundHandlerAdapter {
    /** The one instance. */
    public static final AcceptOutsideIo INSTANCE = new AcceptOutsideIo();

    private AcceptOutsideIo() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
        ctx.channel().eventLoop().execute(() -> ctx.fireChannelRead(accepted));
    }
}
