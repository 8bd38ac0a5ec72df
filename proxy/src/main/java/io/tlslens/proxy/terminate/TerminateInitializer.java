package io.tlslens.proxy.terminate;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.tlslens.inspector.diagnosis.Diagnoser;
import io.tlslens.proxy.backend.BackendConnector;
import io.tlslens.proxy.conn.ConnectionAdmission;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.Observation;
import io.tlslens.proxy.conn.RelayHandler;
import io.tlslens.proxy.tls.ServedCertificate;
import io.tlslens.proxy.tls.ServerTlsContexts;

/**
 * The pipeline of one terminated client connection, read top to bottom:
 * <pre>
 *   [HAProxyMessageDecoder → ProxyProtocolReader]  listener.proxy-protocol: the balancer's header (then removed)
 *   FrontendRecordTap        raw records both ways → FrontendObservation (removes itself after the handshake)
 *   [SniHandler →] SslHandler  BoringSSL, certificate chosen by server_name (no SniHandler: one chain served)
 *   FrontendOutcomeHandler  success / failure / timeout / silent close → FrontendReporter
 *   RelayHandler             decrypted bytes → backend (queued until the backend is connected)
 * </pre>
 */
public final class TerminateInitializer extends ChannelInitializer<SocketChannel> {
    private final ListenerContext listener;
    private final FrontendReporter reporter;
    private final BackendConnector connector;

    /**
     * @param listener  the terminate listener
     * @param reporter  publishes its frontend outcomes
     * @param connector connects its backend after a successful handshake
     */
    TerminateInitializer(ListenerContext listener, FrontendReporter reporter, BackendConnector connector) {
        this.listener = listener;
        this.reporter = reporter;
        this.connector = connector;
    }

    /**
     * @param listener  the terminate listener
     * @param diagnoser the frontend diagnoser
     * @param connector connects its backend after a successful handshake
     * @return the initializer of the listener's client channels
     */
    public static TerminateInitializer create(ListenerContext listener, Diagnoser diagnoser, BackendConnector connector) {
        return new TerminateInitializer(listener, new FrontendReporter(listener, diagnoser), connector);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!ConnectionAdmission.admit(ch, listener)) {
            return;
        }

        FrontendObservation obs = new FrontendObservation();
        ch.attr(Observation.KEY).set(obs);
        ChannelPipeline p = ch.pipeline();
        p.addLast("tap", new FrontendRecordTap(obs, listener.settings().tls().requireSni(),
                listener.settings().plaintextHttpAnswer(), reporter));
        ServerTlsContexts contexts = listener.tls();
        if (contexts.all().size() == 1) {
            // one chain whatever the name: no second parse of the ClientHello, no handler swap
            ServedCertificate only = contexts.select(null);
            ch.attr(ServedCertificate.KEY).set(only);
            p.addLast("tls", newSslHandler(contexts, only, only.context(), ch.alloc()));
        } else {
            p.addLast("tls", new UntimedSniHandler(contexts));
        }
        p.addLast("outcome", new FrontendOutcomeHandler(obs, reporter, listener.settings().handshakeTimeout(), connector));
        p.addLast("relay", new RelayHandler(listener.metrics().bytes(listener.name(), "client_to_backend")));
    }

    /**
     * @return the SslHandler serving {@code chosen}: no timeout of its own ({@link FrontendOutcomeHandler} owns it),
     *         the listener's engine options, and the chain's OCSP response stapled when there is one
     */
    private static SslHandler newSslHandler(ServerTlsContexts contexts, ServedCertificate chosen, SslContext context,
                                            ByteBufAllocator allocator) {
        SslHandler h = context.newHandler(allocator);
        h.setHandshakeTimeoutMillis(0);
        contexts.prepare(h.engine());
        byte[] staple = chosen == null ? null : chosen.staple().der();
        if (staple != null && h.engine() instanceof ReferenceCountedOpenSslEngine engine) {
            engine.setOcspResponse(staple);
        }
        return h;
    }

    /**
     * An SniHandler that records which certificate it chose for the connection (the diagnosis judges
     * that chain even if a reload swaps it meanwhile) and serves it as {@link #newSslHandler} does.
     */
    private static final class UntimedSniHandler extends SniHandler {
        private final ServerTlsContexts contexts;
        private ServedCertificate chosen;

        UntimedSniHandler(ServerTlsContexts contexts) {
            super(contexts, 0L);
            this.contexts = contexts;
        }

        @Override
        protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
            chosen = contexts.select(hostname);
            ctx.channel().attr(ServedCertificate.KEY).set(chosen);
            return ctx.executor().newSucceededFuture(chosen.context());
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            return TerminateInitializer.newSslHandler(contexts, chosen, context, allocator);
        }
    }
}
