package io.tlslens.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SniHandler;
import io.netty.util.concurrent.Future;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The pipeline of one terminated client connection, read top to bottom:
 * <pre>
 *   [HAProxyMessageDecoder → ProxyProtocolReader]  listener.proxy-protocol: the balancer's header (then removed)
 *   FrontendRecordTap        raw records both ways → HandshakeObservation (removes itself after the handshake)
 *   SniHandler → SslHandler  BoringSSL, certificate chosen by server_name
 *   HandshakeOutcomeHandler  success / failure / timeout / silent close → HandshakeReporter
 *   RelayHandler             decrypted bytes → backend (queued until the backend is connected)
 * </pre>
 */
final class FrontendInitializer extends ChannelInitializer<SocketChannel> {
    private final ListenerContext listener;
    private final ProxyMetrics metrics;
    private final HandshakeReporter reporter;
    private final BackendConnector connector;

    FrontendInitializer(ListenerContext listener, ProxyMetrics metrics, HandshakeReporter reporter,
                        BackendConnector connector) {
        this.listener = listener;
        this.metrics = metrics;
        this.reporter = reporter;
        this.connector = connector;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!ConnectionAdmission.admit(ch, listener, metrics)) {
            return;
        }

        HandshakeObservation obs = new HandshakeObservation();
        ch.attr(HandshakeObservation.KEY).set(obs);
        ChannelPipeline p = ch.pipeline();
        p.addLast("tap", new FrontendRecordTap(obs, listener.settings().tls().requireSni(), reporter));
        p.addLast("tls", new UntimedSniHandler(listener.tls()));
        p.addLast("outcome", new HandshakeOutcomeHandler(obs, reporter, listener.settings().handshakeTimeout(), connector));
        p.addLast("relay", new RelayHandler(metrics.bytes(listener.name(), "client_to_backend"), () -> reporter.succeed(ch)));
    }

    /**
     * An SniHandler that records which certificate it chose for the connection (the diagnosis judges
     * that chain even if a reload swaps it meanwhile), staples its OCSP response when there is one,
     * and whose SslHandlers have no timeout of their own: {@link HandshakeOutcomeHandler} owns it.
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
            SslHandler h = super.newSslHandler(context, allocator);
            h.setHandshakeTimeoutMillis(0);
            byte[] staple = chosen == null ? null : chosen.staple().der();
            if (staple != null && h.engine() instanceof ReferenceCountedOpenSslEngine engine) {
                engine.setOcspResponse(staple);
            }
            return h;
        }
    }
}
