package io.tlslens.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tlslens.inspector.cert.VerifierResult;
import io.tlslens.inspector.diagnosis.EngineError;
import io.tlslens.inspector.diagnosis.Ending;

import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decides how the backend-leg handshake ended (tlslens is the client): success — then the relay is
 * attached — or an engine failure with the verifier's reason, a timeout, a close; and, after a
 * completed handshake, a fatal alert before the backend's first application data (TLS 1.3 mTLS:
 * {@code certificate_required} arrives after the client saw its handshake complete). The first
 * application data from the backend confirms the handshake; then this handler removes itself.
 */
final class BackendHandshakeHandler extends ChannelInboundHandlerAdapter {
    private final BackendObservation obs;
    private final BackendReporter reporter;
    private final Channel frontend;
    private final Duration timeout;
    private final Runnable onReady;
    private final OcspChecker ocsp;
    private ScheduledFuture<?> timer;

    /**
     * @param obs      the backend observation
     * @param reporter where the outcome goes
     * @param frontend the client channel (closed when the backend handshake fails)
     * @param timeout  the listener's handshake timeout
     * @param onReady  attaches the relay once the handshake succeeded (and OCSP, when asked, found no revocation)
     * @param ocsp     the OCSP checker, or null when backend.tls.ocsp is off
     */
    BackendHandshakeHandler(BackendObservation obs, BackendReporter reporter, Channel frontend, Duration timeout,
                            Runnable onReady, OcspChecker ocsp) {
        this.obs = obs;
        this.reporter = reporter;
        this.frontend = frontend;
        this.timeout = timeout;
        this.onReady = onReady;
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
                obs.handshakeComplete = true;
                obs.handshakeCompleteNanos = System.nanoTime();
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                SSLSession session = ssl.engine().getSession();
                obs.negotiatedProtocol = session.getProtocol();
                obs.negotiatedCipher = ServerTlsContexts.ianaCipherName(session.getCipherSuite());
                obs.receivedChain = peerChain(session);
                reporter.chainSeen(obs.receivedChain);
                if (ocsp == null) {
                    onReady.run();
                } else {
                    ocsp.check(obs.receivedChain).thenAccept(result -> ctx.executor().execute(() -> afterOcsp(ctx, result)));
                }
            } else {
                record(e.cause());
                fail(ctx, Ending.ENGINE_FAILURE);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Runs on the channel's event loop once the OCSP answer (or its absence) is known. */
    private void afterOcsp(ChannelHandlerContext ctx, VerifierResult result) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (result.ok()) {
            onReady.run();
        } else {
            obs.verifier = result;
            fail(ctx, Ending.ENGINE_FAILURE);
        }
    }

    private void record(Throwable cause) {
        ChainRejectedException rejected = ChainRejectedException.find(cause);
        if (rejected != null) {
            obs.verifier = rejected.result();
            obs.receivedChain = rejected.chain();
        }
        EngineError error = EngineError.parse(HandshakeOutcomeHandler.rootMessage(cause));
        obs.engineError(error);
        error.receivedAlert().ifPresent(obs::alertReceived);
    }

    private static List<X509Certificate> peerChain(SSLSession session) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            // no chain: nothing to publish
        }
        return out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (obs.handshakeComplete) {
            reporter.succeed(obs, frontend);
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (obs.handshakeComplete && !obs.reported) {
            // a fatal alert after our handshake completed, before any application data (TLS 1.3 mTLS)
            record(cause);
            fail(ctx, Ending.ENGINE_FAILURE);
            return;
        }
        if (!obs.handshakeComplete && !obs.engineError.present() && !(cause instanceof java.io.IOException)
                && !(cause instanceof io.netty.handler.codec.DecoderException)) {
            obs.internalFailure = cause;
            fail(ctx, Ending.INTERNAL_FAILURE);
            return;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        if (!obs.reported) {
            if (obs.handshakeComplete) {
                reporter.closedAfterHandshake(obs, frontend);
            } else {
                reporter.fail(obs, frontend, Ending.PEER_CLOSED);
                RelayHandler.closeOnFlush(frontend);
            }
        }
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, Ending ending) {
        cancelTimer();
        reporter.fail(obs, frontend, ending);
        ctx.close();
        RelayHandler.closeOnFlush(frontend);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
