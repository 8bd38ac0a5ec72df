package io.tlslens.proxy.passthrough;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tlslens.config.BackendSettings;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.diagnosis.PassthroughDiagnoser;
import io.tlslens.inspector.diagnosis.PassthroughFacts.End;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.CertificateDecoder;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.HandshakeType;
import io.tlslens.inspector.wire.MalformedHandshakeException;
import io.tlslens.inspector.wire.RecordListener;
import io.tlslens.inspector.wire.RecordScanner;
import io.tlslens.proxy.conn.ClientFlight;
import io.tlslens.proxy.conn.RecordTap;
import io.tlslens.proxy.conn.NetworkError;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one record tap of a passthrough connection, first in the client channel's pipeline: what it
 * reads is the client's direction, what is written through it is the backend's (so the sender of an
 * alert is known from the direction). Neither direction is changed. Feeds {@link PassthroughObservation}
 * and takes three decisions: once the ClientHello is complete it routes by SNI and has the backend
 * connected (or refuses with a plaintext {@code unrecognized_name} alert when no backend applies); a
 * client that does not speak TLS is closed; the handshake timeout fires unless the handshake
 * completed. When application data has flowed both ways it reports the success and removes itself.
 */
final class PassthroughTap extends ChannelDuplexHandler {
    /** Bytes held (unrelayed) at most while waiting for the ClientHello: the scanner's cap plus records around it. */
    private static final int MAX_BYTES_BEFORE_HELLO = RecordScanner.DEFAULT_MAX_HANDSHAKE_MESSAGE_BYTES + 4 * (RecordScanner.MAX_RECORD_BODY + 5);

    private final PassthroughObservation obs;
    private final SniRouter router;
    private final PassthroughConnector connector;
    private final PassthroughReporter reporter;
    private final Duration timeout;
    private final RecordScanner fromClient;
    private final RecordScanner fromBackend;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean refused;

    /**
     * @param obs       the connection's observation
     * @param router    chooses the backend by SNI
     * @param connector connects the chosen backend
     * @param reporter  where outcomes go
     * @param timeout   the listener's handshake timeout
     */
    PassthroughTap(PassthroughObservation obs, SniRouter router, PassthroughConnector connector,
                   PassthroughReporter reporter, Duration timeout) {
        this.obs = obs;
        this.router = router;
        this.connector = connector;
        this.reporter = reporter;
        this.timeout = timeout;
        this.fromClient = new RecordScanner(obs.client.listener(new ClientFlight.Hooks() {
            @Override
            public void firstHello(ClientHello hello) {
                reporter.clientHello(hello);
            }

            @Override
            public void record(int contentType, int length) {
                obs.clientRecord(contentType, length);
            }

            @Override
            public void alert(Alert alert) {
                obs.clientAlert(alert);
            }

            @Override
            public void malformed(long offset, String reason) {
                PassthroughTap.this.malformed(offset, reason, "client");
            }
        }));
        this.fromBackend = new RecordScanner(new RecordListener() {
            @Override
            public void onHandshakeMessage(int type, byte[] body) {
                if (type == HandshakeType.SERVER_HELLO) {
                    try {
                        obs.serverHello = obs.serverFlight().handshakeMessage(type, body);
                        if (obs.serverHello.helloRetryRequest()) {
                            reporter.helloRetryRequest(obs.serverHello.keyShareGroup());
                        }
                    } catch (MalformedHandshakeException e) {
                        malformed(e.offset(), "ServerHello: " + e.reason(), "backend");
                    }
                } else {
                    try {
                        obs.serverFlight().handshakeMessage(type, body);
                    } catch (MalformedHandshakeException e) {
                        // only a ServerHello is decoded
                    }
                    if (type == HandshakeType.CERTIFICATE && obs.chainSeen == null && obs.serverHello != null && !obs.tls13()) {
                        try {
                            obs.chainSeen = CertificateDecoder.decode(body, false).chain();
                            reporter.chainSeen(obs);
                        } catch (MalformedHandshakeException e) {
                            malformed(e.offset(), "Certificate: " + e.reason(), "backend");
                        }
                    }
                }
                reporter.resumption(obs);
            }

            @Override
            public void onChangeCipherSpec() {
                obs.serverFlight().changeCipherSpec();
                reporter.resumption(obs);
            }

            @Override
            public void onRecord(int contentType, int version, int length) {
                obs.backendRecord(contentType, length);
            }

            @Override
            public void onAlert(Alert alert) {
                obs.backendAlert(alert);
            }

            @Override
            public void onNotTls(byte[] firstBytes) {
                obs.backendFirstBytes = firstBytes;
            }

            @Override
            public void onMalformed(long offset, String reason) {
                malformed(offset, reason, "backend");
            }
        });
    }

    private void malformed(long offset, String reason, String from) {
        if (obs.malformed == null) {
            obs.malformed = new HandshakeFacts.Malformed(offset, reason);
            obs.malformedFrom = from;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(this::onTimeout, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    private void onTimeout() {
        timer = null;
        if (obs.published() || !ctx.channel().isActive()) {
            return;
        }
        if (obs.handshakeComplete()) {
            // finished handshake, idle connection: a success, no more inspection needed
            reporter.succeed(ctx.channel());
            removeSelf();
            return;
        }
        reporter.fail(ctx.channel(), End.TIMEOUT);
        closeBoth();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            obs.peerBytes(buf.readableBytes());
            boolean hadHello = obs.client.last() != null;
            fromClient.feed(buf.nioBuffer());
            updatePartial();
            if (obs.client.last() == null && obs.malformed == null && obs.peerBytes() > MAX_BYTES_BEFORE_HELLO) {
                malformed(obs.peerBytes(), "no ClientHello within the first " + MAX_BYTES_BEFORE_HELLO + " bytes", "client");
            }
            if (obs.client.firstBytes() != null || (obs.client.last() == null && obs.malformed != null)) {
                refuse(msg, null);
                return;
            }
            if (!hadHello && obs.client.last() != null) {
                Optional<BackendSettings> backend = router.route(obs.client.last().serverName());
                if (backend.isEmpty()) {
                    obs.sniUnknown = true;
                    refuse(msg, PassthroughDiagnoser.SNI_REFUSAL);
                    return;
                }
                obs.backend = backend.get();
                ctx.fireChannelRead(msg); // queued by the relay until the backend is attached
                connector.connect(ctx.channel(), obs.backend);
                return;
            }
        }
        ctx.fireChannelRead(msg);
        checkSuccess();
    }

    private void updatePartial() {
        obs.partialRecord = RecordTap.partial(fromClient, obs.client.last() != null);
    }

    private void refuse(Object msg, Alert alert) {
        refused = true;
        ReferenceCountUtil.release(msg);
        reporter.fail(ctx.channel(), End.REFUSED);
        cancelTimer();
        if (alert == null) {
            ctx.close();
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(alert.plaintextRecord()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!refused && msg instanceof ByteBuf buf && buf.isReadable()) {
            obs.bytesFromBackend += buf.readableBytes();
            fromBackend.feed(buf.nioBuffer());
        }
        ctx.write(msg, promise);
        if (!refused) {
            checkSuccess();
        }
    }

    private void checkSuccess() {
        if (!obs.published() && obs.succeeded()) {
            reporter.succeed(ctx.channel());
            removeSelf();
        }
    }

    private void removeSelf() {
        cancelTimer();
        fromClient.stop();
        fromBackend.stop();
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (!obs.backendClosedFirst) {
                obs.clientClosedFirst = true;
            }
            if (obs.backend == null) {
                // gone before its ClientHello was complete: nothing will be relayed (a TCP health check
                // or port scan when no byte came), so the handshake timeout must not wait for it
                cancelTimer();
                reporter.fail(ctx.channel(), End.CLIENT_CLOSED);
                ctx.close();
                return;
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (!obs.backendClosedFirst) {
            obs.clientClosedFirst = true;
        }
        reporter.fail(ctx.channel(), obs.backendClosedFirst ? End.BACKEND_CLOSED : End.CLIENT_CLOSED);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!NetworkError.is(cause)) {
            reporter.internal(ctx.channel(), cause);
        }
        ctx.fireExceptionCaught(cause);
    }

    private void closeBoth() {
        if (obs.backendChannel != null) {
            obs.backendChannel.close(); // a backend still to be created is closed by the relay once joined
        }
        ctx.close();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
