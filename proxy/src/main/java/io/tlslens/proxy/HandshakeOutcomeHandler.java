package io.tlslens.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tlslens.inspector.diagnosis.EngineError;
import io.tlslens.inspector.diagnosis.Ending;

import javax.net.ssl.SSLSession;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sits after the SslHandler and decides how a client's handshake ended: the engine's completion
 * event (success or failure with its error), the listener's handshake timeout, a close before
 * completion, or a close after completion but before any application data (a client that rejected
 * the certificate after the handshake, DIAGNOSIS.md step 5). On success it starts the backend
 * connection; the first application data confirms the handshake, then it removes itself.
 */
final class HandshakeOutcomeHandler extends ChannelInboundHandlerAdapter {
    private final HandshakeObservation obs;
    private final HandshakeReporter reporter;
    private final Duration timeout;
    private final BackendConnector connector;
    private ScheduledFuture<?> timer;

    /**
     * @param obs       the connection's observation
     * @param reporter  where the outcome goes
     * @param timeout   the listener's handshake timeout
     * @param connector opens the backend connection after a successful handshake
     */
    HandshakeOutcomeHandler(HandshakeObservation obs, HandshakeReporter reporter, Duration timeout,
                            BackendConnector connector) {
        this.obs = obs;
        this.reporter = reporter;
        this.timeout = timeout;
        this.connector = connector;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> onTimeout(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    private void onTimeout(ChannelHandlerContext ctx) {
        if (!obs.handshakeComplete && ctx.channel().isActive()) {
            reporter.fail(ctx.channel(), Ending.TIMEOUT);
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (!obs.handshakeComplete) {
                cancelTimer();
                reporter.fail(ctx.channel(), Ending.PEER_CLOSED);
                ctx.close();
                return;
            }
            reporter.fail(ctx.channel(), Ending.CLOSED_AFTER_HANDSHAKE);
        }
        if (evt instanceof SslHandshakeCompletionEvent e) {
            cancelTimer();
            if (e.isSuccess()) {
                obs.handshakeComplete = true;
                obs.handshakeCompleteNanos = System.nanoTime();
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (ssl != null) {
                    SSLSession session = ssl.engine().getSession();
                    obs.negotiatedProtocol = session.getProtocol();
                    obs.negotiatedCipher = ServerTlsContexts.ianaCipherName(session.getCipherSuite());
                    ClientCertificateLog.accepted(ctx.channel(), session);
                }
                connector.connect(ctx.channel());
            } else {
                ChainRejectedException rejected = ChainRejectedException.find(e.cause());
                if (rejected != null) {
                    obs.clientVerifier = rejected.result();
                }
                EngineError error = EngineError.parse(rootMessage(e.cause()));
                obs.engineError(error);
                error.receivedAlert().ifPresent(obs::alertReceived);
                reporter.fail(ctx.channel(), Ending.ENGINE_FAILURE);
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** @return the messages of a throwable and its causes, joined with " / " */
    static String rootMessage(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                if (sb.length() > 0) {
                    sb.append(" / ");
                }
                sb.append(c.getMessage());
            }
        }
        return sb.toString();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (obs.handshakeComplete) {
            reporter.succeed(ctx.channel());
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The SslHandler reports handshake failures through its completion event; anything else
        // before completion that is not the engine's is ours.
        if (!obs.handshakeComplete && !obs.engineError.present() && !(cause instanceof java.io.IOException)
                && !(cause instanceof io.netty.handler.codec.DecoderException)) {
            obs.internalFailure = cause;
            reporter.fail(ctx.channel(), Ending.INTERNAL_FAILURE);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        reporter.fail(ctx.channel(), obs.defaultEnding());
        ctx.fireChannelInactive();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
