package io.tlslens.proxy.backend;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.nio.channels.NotYetConnectedException;

/**
 * First handler of a backend channel: drops the {@link NotYetConnectedException} that Netty's epoll transport
 * occasionally raises on a socket whose connect is still in progress (a read event handled for it before the connect
 * completed: netty/netty#10411, #10298). Passed on, every handler behind would close the channel, and the connect
 * would fail as {@code backend_unreachable} with a ClosedChannelException although the backend was up (the soak
 * suite saw about 5 in 1,000 connections at 50 new connections per event loop). Anything else, and the same
 * exception once the channel is connected, goes on unchanged. Stateless: one instance serves every channel.
 */
@ChannelHandler.Sharable
final class ConnectingReadFilter extends ChannelInboundHandlerAdapter {
    static final ConnectingReadFilter INSTANCE = new ConnectingReadFilter();

    private ConnectingReadFilter() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof NotYetConnectedException && ctx.channel().isOpen() && !ctx.channel().isActive()) {
            return; // the connect goes on; its own outcome (success, refusal, timeout) decides
        }
        ctx.fireExceptionCaught(cause);
    }
}
