package io.tlslens.proxy.terminate;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.proxy.backend.BackendConnector;
import io.tlslens.proxy.conn.Observation;
import io.tlslens.proxy.conn.RecordTap;
import io.tlslens.proxy.tls.EngineFailure;
import io.tlslens.proxy.tls.ServerTlsContexts;
import io.tlslens.proxy.conn.NetworkError;

import javax.net.ssl.SSLSession;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sits after the SslHandler and decides how a client's handshake ended: the engine's completion
 * event (success or failure with its error), the listener's handshake timeout, a close before
 * completion, or a close after completion but before any application data (a client that rejected
 * the certificate after the handshake). On success it has the backend connected. The first
 * application data either way — from the client, or from the backend to the client — confirms the
 * handshake: the one place a terminated handshake is counted as a success; then it removes itself.
 */
final class FrontendOutcomeHandler extends ChannelDuplexHandler {
    private final FrontendObservation obs;
    private final FrontendReporter reporter;
    private final Duration timeout;
    private final BackendConnector connector;
    private ScheduledFuture<?> timer;

    /**
     * @param obs       the connection's observation
     * @param reporter  where the outcome goes
     * @param timeout   the listener's handshake timeout
     * @param connector opens the backend connection after a successful handshake
     */
    FrontendOutcomeHandler(FrontendObservation obs, FrontendReporter reporter, Duration timeout,
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
        } else if (evt instanceof SslHandshakeCompletionEvent e) {
            cancelTimer();
            if (e.isSuccess()) {
                completed(ctx);
            } else {
                EngineFailure failure = EngineFailure.of(e.cause());
                obs.engineFailure(failure);
                if (failure.rejected() != null) {
                    obs.clientVerifier = failure.rejected().result();
                }
                reporter.fail(ctx.channel(), Ending.ENGINE_FAILURE);
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void completed(ChannelHandlerContext ctx) {
        RecordTap.handshakeSucceeded(ctx.pipeline());
        obs.handshakeComplete = true;
        obs.handshakeCompleteNanos = System.nanoTime();
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            SSLSession session = ssl.engine().getSession();
            obs.negotiatedProtocol = session.getProtocol();
            obs.negotiatedCipher = ServerTlsContexts.ianaCipherName(session.getCipherSuite());
            ClientCertificateLog.accepted(ctx.channel(), session);
        }
        connector.connect(ctx.channel(), obs.client.hello());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean data = isData(msg);
        ctx.fireChannelRead(msg);
        if (data) {
            confirm(ctx);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean data = isData(msg);
        ctx.write(msg, promise);
        if (data) {
            confirm(ctx);
        }
    }

    private boolean isData(Object msg) {
        return obs.handshakeComplete && msg instanceof ByteBuf buf && buf.isReadable();
    }

    /** Application data flowed: the handshake succeeded; nothing more to watch. */
    private void confirm(ChannelHandlerContext ctx) {
        reporter.succeed(ctx.channel());
        // the outcome is published: the decoded ClientHello and the rest of the observation can go, so an idle
        // established connection keeps only the engine and the relay
        ctx.channel().attr(Observation.KEY).set(null);
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The SslHandler reports handshake failures through its completion event; anything else
        // before completion that is not the engine's or the network's is ours.
        if (!obs.handshakeComplete && !obs.engineError().present() && !NetworkError.is(cause)
                && !(cause instanceof DecoderException)) {
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
