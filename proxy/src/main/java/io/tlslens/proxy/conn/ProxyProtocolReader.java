package io.tlslens.proxy.conn;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.tlslens.proxy.telemetry.LogRateLimiter;
import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accepts a PROXY protocol v1 or v2 header from a load balancer in front ({@code listener.proxy-protocol
 * = true}). Installed with Netty's {@link HAProxyMessageDecoder} at the head of the frontend pipeline,
 * ahead of the record tap; both leave the pipeline once the header is read, so the tap and TLS see only
 * the client's own bytes. A {@code PROXY} command's source and destination become the connection's
 * {@link ClientAddress}; {@code LOCAL} (the balancer's own health check) and {@code UNKNOWN} keep the
 * socket's addresses. A connection without a valid header is closed, counted in
 * {@code tlslens_connections_refused_total{reason="proxy_protocol"}} and logged
 * ({@code proxy_protocol_rejected}, rate-limited); it is not a TLS handshake failure.
 * Fires {@link #DECODED} once the header is accepted.
 */
public final class ProxyProtocolReader extends ChannelInboundHandlerAdapter {
    /** Logger name of the rejection lines. */
    public static final String LOGGER = "tlslens.connection";
    /** User event fired down the pipeline once the header has been read and the address recorded. */
    public static final Object DECODED = new Object() {
        @Override
        public String toString() {
            return "ProxyProtocolReader.DECODED";
        }
    };
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final LogRateLimiter LIMITER = new LogRateLimiter(10, System::nanoTime);

    private final ListenerContext listener;
    private boolean done;

    private ProxyProtocolReader(ListenerContext listener) {
        this.listener = listener;
    }

    /** Adds the decoder and this reader at the current end of {@code p}; call before the other handlers. */
    public static void install(ChannelPipeline p, ListenerContext listener) {
        p.addLast("proxy-protocol-decoder", new HAProxyMessageDecoder());
        p.addLast("proxy-protocol", new ProxyProtocolReader(listener));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ClientAddress announced = announced(m);
            if (announced != null) {
                ctx.channel().attr(ClientAddress.KEY).set(announced);
            }
        } finally {
            ReferenceCountUtil.release(m);
        }
        done = true;
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(DECODED);
    }

    /** @return the header's endpoints for a PROXY command over TCP, else null (keep the socket's) */
    public static ClientAddress announced(HAProxyMessage m) {
        if (m.command() != HAProxyCommand.PROXY || (m.proxiedProtocol() != HAProxyProxiedProtocol.TCP4
                && m.proxiedProtocol() != HAProxyProxiedProtocol.TCP6)) {
            return null;
        }
        return new ClientAddress(socket(m.sourceAddress(), m.sourcePort()), socket(m.destinationAddress(), m.destinationPort()));
    }

    private static InetSocketAddress socket(String ip, int port) {
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(ip); // a literal: never a DNS lookup
        return a == null ? null : new InetSocketAddress(a, port);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        done = true;
        Observation obs = Observation.of(ctx.channel());
        if (obs != null) {
            obs.publishOnce(); // not a handshake: counted and logged here only
        }
        listener.metrics().connectionsRefused(listener.name(), "proxy_protocol").increment();
        long suppressed = LIMITER.tryAcquire(listener.name());
        if (suppressed >= 0) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", "proxy_protocol_rejected");
            line.put("listener", listener.name());
            line.put("connection_id", ctx.channel().id().asShortText());
            line.put("peer_address", ClientAddress.of(ctx.channel()).sourceText());
            line.put("problem", String.valueOf(cause.getMessage()));
            if (suppressed > 0) {
                line.put("suppressed_before", suppressed);
            }
            LOG.warn("connection without a valid PROXY protocol header closed (listener '{}' has proxy-protocol = true)",
                    listener.name(), StructuredArguments.entries(line));
        }
        ctx.close();
    }
}
