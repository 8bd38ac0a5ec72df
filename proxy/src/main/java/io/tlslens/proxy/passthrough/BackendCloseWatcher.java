package io.tlslens.proxy.passthrough;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * First in a passthrough backend channel's pipeline until the handshake succeeded: notes when the
 * backend ended its side before the client did, so a close is blamed on the right peer.
 */
final class BackendCloseWatcher extends ChannelInboundHandlerAdapter {
    private final PassthroughObservation obs;

    /** @param obs the client connection's observation */
    BackendCloseWatcher(PassthroughObservation obs) {
        this.obs = obs;
    }

    private void backendEnded() {
        if (!obs.clientClosedFirst) {
            obs.backendClosedFirst = true;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            backendEnded();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        backendEnded();
        ctx.fireChannelInactive();
    }
}
