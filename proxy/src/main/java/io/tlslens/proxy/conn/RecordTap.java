package io.tlslens.proxy.conn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.FastThreadLocal;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.wire.HandshakeType;
import io.tlslens.inspector.wire.RecordListener;
import io.tlslens.inspector.wire.RecordScanner;

/**
 * A tap ahead of an SslHandler: one {@link RecordScanner} reads what arrives (without consuming
 * it), another what we write; once the engine reports the handshake complete both stop and the
 * tap is removed ({@link #handshakeSucceeded}), so application data pays nothing for inspection.
 * Subclasses decide what the records mean for their leg.
 */
public abstract class RecordTap extends ChannelDuplexHandler {
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8192];
        }
    };

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

    /**
     * What of the client's direction arrived only in part so far: the record cut short, and while no
     * ClientHello arrived whole, how much of the ClientHello being reassembled came (it may span records
     * that all arrived whole: the stall is then between records).
     *
     * @param scanner   the client's direction
     * @param helloSeen whether a ClientHello already arrived whole
     * @return the partial record or ClientHello, or null when nothing is cut short
     */
    public static HandshakeFacts.PartialRecord partial(RecordScanner scanner, boolean helloSeen) {
        boolean helloPending = !helloSeen && scanner.pendingHandshakeType() == HandshakeType.CLIENT_HELLO
                && scanner.expectedHandshakeBytes() > 0;
        if (!scanner.partialRecordPending() && !helloPending) {
            return null;
        }
        int record = scanner.partialRecordPending() ? scanner.pendingRecordBytes() : 0;
        int recordExpected = scanner.partialRecordPending() ? scanner.expectedRecordBytes() : -1;
        return helloPending
                ? new HandshakeFacts.PartialRecord(record, recordExpected, scanner.pendingHandshakeBytes(),
                        scanner.expectedHandshakeBytes())
                : new HandshakeFacts.PartialRecord(record, recordExpected);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            feed(outbound, buf);
        }
        ctx.write(msg, promise);
    }

    /**
     * Scans the readable bytes of {@code buf} (indexes unchanged). A direct buffer's bytes go through one scratch array
     * per event-loop thread, not through a scratch array per scanner (16 KiB per handshake); a scanner keeps nothing
     * of what it was fed once {@code feed} returns, and no scanner feeds another from its listener.
     *
     * @param scanner the direction's scanner
     * @param buf     bytes read or written
     */
    protected static void feed(RecordScanner scanner, ByteBuf buf) {
        if (buf.hasArray()) {
            scanner.feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            return;
        }
        byte[] scratch = SCRATCH.get();
        for (int i = buf.readerIndex(), end = buf.writerIndex(); i < end; i += scratch.length) {
            int n = Math.min(scratch.length, end - i);
            buf.getBytes(i, scratch, 0, n);
            scanner.feed(scratch, 0, n);
        }
    }

    /**
     * Stops and removes the tap of {@code pipeline}, if it has one. The handler behind the SslHandler calls it when
     * the handshake succeeded: the SslHandler fires its completion event towards the tail only, so a tap ahead of it
     * never sees that event.
     *
     * @param pipeline a channel's pipeline, on its event loop
     */
    public static void handshakeSucceeded(ChannelPipeline pipeline) {
        RecordTap tap = pipeline.get(RecordTap.class);
        if (tap != null) {
            tap.inbound.stop();
            tap.outbound.stop();
            pipeline.remove(tap);
        }
    }
}
