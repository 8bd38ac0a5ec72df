package io.tlslens.proxy.conn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.tlslens.inspector.wire.RecordListener;
import io.tlslens.inspector.wire.RecordScanner;

/**
 * A tap ahead of an SslHandler: one {@link RecordScanner} reads what arrives (without consuming
 * it), another what we write; once the engine reports the handshake complete both stop and the
 * tap removes itself, so application data pays nothing for inspection. Subclasses decide what the
 * records mean for their leg.
 */
public abstract class RecordTap extends ChannelDuplexHandler {
    /** Scans the bytes that arrive on this channel. */
    protected final RecordScanner inbound;
    private final RecordScanner outbound;

    /**
     * @param in  listener for what the peer sends
     * @param out listener for what tlslens sends
     */
    public RecordTap(RecordListener in, RecordListener out) {
        this.inbound = new RecordScanner(in);
        this.outbound = new RecordScanner(out);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            outbound.feed(buf.nioBuffer());
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
            inbound.stop();
            outbound.stop();
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}
