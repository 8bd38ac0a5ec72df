package io.tlslens.proxy;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Relays one direction of a proxied connection byte for byte: what this channel reads is written
 * to the peer channel. Until the peer is attached (the backend still connecting) reads are queued,
 * in order. Backpressure: when the peer stops being writable this channel stops reading, and
 * resumes when the peer drains ({@link #peerWritable}). Half-close: end of input here (TCP FIN, or
 * the TLS client's close_notify) shuts the peer's output (a close_notify when the peer is the TLS
 * client); when this channel closes, the peer is flushed and closed too. BoringSSL ends the whole
 * TLS session when it receives close_notify, so after a client's close_notify nothing more can be
 * sent to that client: the backend sees end of input, its later answer is dropped.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final Counter bytes;
    private final Runnable onFirstData;
    private final Queue<Object> pending = new ArrayDeque<>();
    private Channel self;
    private Channel peer;
    private boolean firstData = true;

    /**
     * @param bytes       counter of relayed bytes in this direction
     * @param onFirstData run once when the first bytes arrive (confirms the client's handshake)
     */
    RelayHandler(Counter bytes, Runnable onFirstData) {
        this.bytes = bytes;
        this.onFirstData = onFirstData;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        self = ctx.channel();
    }

    /** Attaches the peer and writes what was queued for it. Must run on this channel's event loop. */
    void attach(Channel peerChannel) {
        this.peer = peerChannel;
        boolean wrote = false;
        for (Object m; (m = pending.poll()) != null; ) {
            if (m instanceof ChannelInputShutdownEvent || m instanceof SslCloseCompletionEvent) {
                shutdownPeerOutput();
            } else {
                peer.write(m);
                wrote = true;
            }
        }
        if (wrote) {
            peer.flush();
        }
        if (!self.isActive()) {
            closeOnFlush(peer);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            int n = buf.readableBytes();
            bytes.increment(n);
            if (firstData && n > 0) {
                firstData = false;
                onFirstData.run();
            }
        }
        if (peer == null) {
            pending.add(msg);
            return;
        }
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.writeAndFlush(msg).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            }
        });
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Called by the peer's relay when the peer became writable again: resume reading here. */
    void peerWritable() {
        if (self != null && self.isActive()) {
            self.config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer != null) {
            RelayHandler other = peer.pipeline().get(RelayHandler.class);
            if (other != null) {
                other.peerWritable();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent || evt instanceof SslCloseCompletionEvent) {
            if (peer == null) {
                pending.add(evt);
            } else {
                shutdownPeerOutput();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void shutdownPeerOutput() {
        SslHandler ssl = peer.pipeline().get(SslHandler.class);
        if (ssl != null) {
            ssl.closeOutbound();
        } else if (peer instanceof DuplexChannel d && d.isActive()) {
            peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(f -> d.shutdownOutput());
        }
        if (!self.isActive() || isInputAndOutputShut(self)) {
            closeOnFlush(peer);
        }
    }

    private static boolean isInputAndOutputShut(Channel ch) {
        return ch instanceof DuplexChannel d && d.isInputShutdown() && d.isOutputShutdown();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Object m; (m = pending.poll()) != null; ) {
            ReferenceCountUtil.release(m);
        }
        if (peer != null) {
            closeOnFlush(peer);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** Flushes what is queued for {@code ch}, then closes it. */
    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
