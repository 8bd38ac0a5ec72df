package io.tlslens.proxy.backend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.proxy.conn.RecordTap;
import io.tlslens.proxy.tls.EngineFailure;
import io.tlslens.proxy.tls.OcspChecker;
import io.tlslens.proxy.tls.ServerTlsContexts;
import io.tlslens.proxy.conn.NetworkError;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decides how the backend-leg handshake ended (tlslens is the client): success — then, once OCSP (when
 * asked) found no revocation, the relays are joined — or an engine failure with the verifier's reason,
 * a timeout, a close; and, after a completed handshake, a fatal alert before the backend's first
 * application data (TLS 1.3 mTLS: {@code certificate_required} arrives after the client saw its
 * handshake complete). The first application data from the backend confirms the handshake; then this
 * handler removes itself. A failure closes the client too.
 */
final class BackendOutcomeHandler extends ChannelInboundHandlerAdapter {
    private final BackendObservation obs;
    private final BackendReporter reporter;
    private final Channel frontend;
    private final Duration timeout;
    private final OcspChecker ocsp;
    private ScheduledFuture<?> timer;
    /** The OCSP wait ran out and the relay went on: a "revoked" that comes later is reported late. */
    private boolean wentOnWithoutAnswer;

    /**
     * @param obs      the backend observation
     * @param reporter where the outcome goes
     * @param frontend the client channel (joined on success, closed on failure)
     * @param timeout  the listener's handshake timeout
     * @param ocsp     the OCSP checker, or null when backend.tls.ocsp is off
     */
    BackendOutcomeHandler(BackendObservation obs, BackendReporter reporter, Channel frontend, Duration timeout,
                          OcspChecker ocsp) {
        this.obs = obs;
        this.reporter = reporter;
        this.frontend = frontend;
        this.timeout = timeout;
        this.ocsp = ocsp;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            if (!obs.handshakeComplete && ctx.channel().isActive()) {
                fail(ctx, Ending.TIMEOUT);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !obs.handshakeComplete) {
            fail(ctx, Ending.PEER_CLOSED);
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent e) {
            cancelTimer();
            if (e.isSuccess()) {
                completed(ctx);
            } else {
                record(e.cause());
                fail(ctx, Ending.ENGINE_FAILURE);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void completed(ChannelHandlerContext ctx) {
        RecordTap.handshakeSucceeded(ctx.pipeline());
        obs.handshakeComplete = true;
        obs.handshakeCompleteNanos = System.nanoTime();
        SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
        obs.negotiatedProtocol = session.getProtocol();
        obs.negotiatedCipher = ServerTlsContexts.ianaCipherName(session.getCipherSuite());
        obs.receivedChain = peerChain(session);
        reporter.chainSeen(obs.receivedChain);
        if (ocsp == null) {
            BackendDialer.join(frontend, ctx.channel());
        } else {
            OcspChecker.Check check = ocsp.checkWithDeadline(obs.receivedChain, reporter::revocationChecked);
            check.inTime().thenAccept(result -> {
                boolean answered = check.answer().isDone();
                ctx.executor().execute(() -> {
                    wentOnWithoutAnswer = !answered;
                    afterOcsp(ctx, result);
                });
            });
            check.answer().thenAccept(result -> ctx.executor().execute(() -> {
                if (!result.ok() && wentOnWithoutAnswer) {
                    lateAnswer(ctx, result);
                }
            }));
        }
    }

    /** Runs on the channel's event loop once the OCSP answer (or its absence) is known. */
    private void afterOcsp(ChannelHandlerContext ctx, VerifierResult result) {
        if (!result.ok()) {
            obs.verifier = result;
            if (ctx.channel().isActive()) {
                fail(ctx, Ending.ENGINE_FAILURE);
            } else {
                reporter.lateRevocation(obs, frontend);
            }
            return;
        }
        if (ctx.channel().isActive()) {
            BackendDialer.join(frontend, ctx.channel());
        }
    }

    /** A "revoked" that came after the connection went on (soft-fail): reported against this connection. */
    private void lateAnswer(ChannelHandlerContext ctx, VerifierResult result) {
        obs.verifier = result;
        reporter.lateRevocation(obs, frontend);
        ctx.close();
    }

    private void record(Throwable cause) {
        EngineFailure failure = EngineFailure.of(cause);
        obs.engineFailure(failure);
        if (failure.rejected() != null) {
            obs.verifier = failure.rejected().result();
            obs.receivedChain = failure.rejected().chain();
        }
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // no chain: nothing to publish
        }
        return out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (obs.handshakeComplete) {
            reporter.succeed(obs);
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (obs.handshakeComplete && !obs.published()) {
            // a fatal alert after our handshake completed, before any application data (TLS 1.3 mTLS)
            record(cause);
            fail(ctx, Ending.ENGINE_FAILURE);
            return;
        }
        if (!obs.handshakeComplete && !obs.engineError().present() && !NetworkError.is(cause)
                && !(cause instanceof DecoderException)) {
            obs.internalFailure = cause;
            fail(ctx, Ending.INTERNAL_FAILURE);
            return;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (!obs.published()) {
            if (obs.handshakeComplete) {
                reporter.closedAfterHandshake(obs, frontend);
            } else {
                reporter.fail(obs, frontend, Ending.PEER_CLOSED);
                BackendDialer.abandon(frontend, ctx.channel());
            }
        }
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, Ending ending) {
        cancelTimer();
        reporter.fail(obs, frontend, ending);
        ctx.close();
        BackendDialer.abandon(frontend, ctx.channel());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
