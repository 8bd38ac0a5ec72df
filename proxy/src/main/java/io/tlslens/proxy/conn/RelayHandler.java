package io.tlslens.proxy.conn;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * Relays one direction of a proxied connection byte for byte: what this channel reads is written to
 * the peer channel, in order. Until the peer is attached (the backend still connecting or handshaking)
 * reads are queued, and so is the end of input; past {@value #MAX_PENDING_BYTES} bytes queued this channel
 * stops reading until the peer is attached.
 * <ul>
 * <li>Backpressure: when the peer stops being writable this channel stops reading, and resumes when
 *     the peer drains.</li>
 * <li>Half-close: the end of this side's input (a TCP FIN, or a TLS close_notify) is passed on after
 *     every byte that preceded it: the peer's output is shut (a close_notify when the peer is a TLS
 *     leg, else a TCP FIN) once what was written before it is flushed.</li>
 * <li>Teardown: once both directions have ended, or either channel closes (reset, error, timeout),
 *     both channels are flushed and closed. No connection is left open on one side.</li>
 * </ul>
 * BoringSSL ends the whole TLS session when it receives close_notify, so after a client's close_notify
 * nothing more can be sent to that client. The other way round works: after tlslens sent a TLS peer its
 * close_notify (the other side ended), that peer's answer is still read and relayed until it closes.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {
    private static final Object INPUT_ENDED = new Object();
    /** Bytes queued for a peer not yet attached before this channel stops reading (64 KiB). */
    static final int MAX_PENDING_BYTES = 64 * 1024;

    private final Counter bytes;
    private final Queue<Object> pending = new ArrayDeque<>();
    private Channel self;
    private Channel peer;
    private RelayHandler peerRelay;
    private int pendingBytes;
    private boolean pausedForPeer;
    private boolean awaitingPeer;
    private boolean inputEnded;
    private boolean outputEnded;

    /** @param bytes counter of relayed bytes in this direction */
    public RelayHandler(Counter bytes) {
        this.bytes = bytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        self = ctx.channel();
    }

    /**
     * Says a peer is being opened: what this channel reads until then is kept for it even if this
     * channel closes meanwhile, until {@link #attach} or {@link #abandon}. Runs on this channel's event loop.
     */
    public void awaitPeer() {
        awaitingPeer = true;
    }

    /**
     * Attaches the peer (whose own relay must be in its pipeline) and writes what was queued for it,
     * then the end of input if it came. Runs on this channel's event loop, which the peer shares.
     *
     * @param peerChannel the other side
     */
    public void attach(Channel peerChannel) {
        awaitingPeer = false;
        peer = peerChannel;
        peerRelay = peerChannel.pipeline().get(RelayHandler.class);
        boolean ended = false;
        pendingBytes = 0;
        for (Object m; (m = pending.poll()) != null; ) {
            if (m == INPUT_ENDED) {
                ended = true;
            } else {
                peer.write(m);
            }
        }
        peer.flush();
        if (pausedForPeer) {
            pausedForPeer = false;
            resumeReading(self);
        }
        if (ended) {
            endPeerOutput();
        }
        if (!self.isActive()) {
            closeOnFlush(peer);
        }
    }

    /** The peer will never come (its connect or handshake failed): drops what was queued for it. */
    public void abandon() {
        awaitingPeer = false;
        release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytes.increment(buf.readableBytes());
        }
        if (peer == null) {
            pending.add(msg);
            if (msg instanceof ByteBuf buf && (pendingBytes += buf.readableBytes()) > MAX_PENDING_BYTES) {
                pausedForPeer = true; // the attach resumes reading
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // a void promise: no promise and listener per read; a failed write reaches the peer's exceptionCaught,
        // which closes the peer, and its channelInactive closes this side
        peer.writeAndFlush(msg, peer.voidPromise());
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peer != null) {
            resumeReading(peer);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Once we sent this side our close_notify, the engine reports every later read as "closed" whether
        // or not the peer sent its own: only its TCP FIN (or the close) ends its input then.
        boolean closeNotify = evt instanceof SslCloseCompletionEvent && !outputEnded;
        if ((evt instanceof ChannelInputShutdownEvent || closeNotify) && !inputEnded) {
            inputEnded = true;
            if (peer == null) {
                pending.add(INPUT_ENDED);
            } else {
                endPeerOutput();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Shuts the peer's output after what was written to it, and closes both once both directions ended. */
    private void endPeerOutput() {
        if (!peer.isActive()) {
            closeOnFlush(self);
            return;
        }
        if (peerRelay == null || peerRelay.inputEnded) {
            // both directions ended: closing flushes what was written, then ends the output (close_notify, FIN)
            closeOnFlush(self);
            closeOnFlush(peer);
            return;
        }
        Channel p = peer;
        peerRelay.outputEnded = true;
        p.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            SslHandler ssl = p.pipeline().get(SslHandler.class);
            if (ssl != null) {
                ssl.closeOutbound();
            } else if (p instanceof DuplexChannel d && d.isActive()) {
                d.shutdownOutput();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer != null) {
            closeOnFlush(peer);
        } else if (!awaitingPeer) {
            release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!awaitingPeer) {
            release();
        }
    }

    private void release() {
        for (Object m; (m = pending.poll()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /**
     * Turns reading back on, unless the channel is closed or its input already ended (epoll refuses to
     * watch a socket for input after its end: the attempt fails the channel).
     *
     * @param ch a channel whose reading was paused
     */
    public static void resumeReading(Channel ch) {
        if (ch.isActive() && !(ch instanceof DuplexChannel d && d.isInputShutdown())) {
            ch.config().setAutoRead(true);
        }
    }

    /**
     * Flushes what is queued for {@code ch}, then closes it; nothing when it is already closed.
     *
     * @param ch a channel
     */
    public static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (ch.isOpen()) {
            ch.close(); // a channel still connecting, or half-registered: close it all the same
        }
        // closed already: nothing to do (Netty would build a ClosedChannelException per call to say so)
    }
}
