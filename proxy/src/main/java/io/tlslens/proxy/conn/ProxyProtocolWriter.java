package io.tlslens.proxy.conn;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.tlslens.config.ProxyProtocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Sends a PROXY protocol header ({@code backend.proxy-protocol = v1 | v2}) to the backend before any
 * other byte: before the backend TLS ClientHello and before relayed client data, whichever comes
 * first (the connect future's listeners run before {@code channelActive}, so both triggers are
 * watched). The header carries the client's {@link ClientAddress}: the socket's, or the one a load
 * balancer announced. Sits at the head of the backend pipeline with Netty's encoder; both leave the
 * pipeline after the header.
 */
public final class ProxyProtocolWriter extends ChannelDuplexHandler {
    private static final String ENCODER = "proxy-protocol-encoder";
    private final ProxyProtocol version;
    private final Channel frontend;
    private boolean sent;

    private ProxyProtocolWriter(ProxyProtocol version, Channel frontend) {
        this.version = version;
        this.frontend = frontend;
    }

    /**
     * Adds the encoder and writer to an empty backend pipeline; does nothing for {@link ProxyProtocol#NONE}.
     *
     * @param p        the backend channel's pipeline, before any other handler is added
     * @param version  the configured version
     * @param frontend the client channel whose address is announced
     */
    public static void install(ChannelPipeline p, ProxyProtocol version, Channel frontend) {
        if (version == ProxyProtocol.NONE) {
            return;
        }
        p.addFirst("proxy-protocol", new ProxyProtocolWriter(version, frontend));
        p.addFirst(ENCODER, HAProxyMessageEncoder.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        send(ctx);
        ctx.flush();
        leave(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        send(ctx);
        ctx.write(msg, promise);
        leave(ctx);
    }

    private void send(ChannelHandlerContext ctx) {
        if (sent) {
            return;
        }
        sent = true;
        ctx.write(message(version, ClientAddress.of(frontend))).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            }
        });
    }

    private void leave(ChannelHandlerContext ctx) {
        if (ctx.pipeline().get(ENCODER) != null) {
            ctx.pipeline().remove(ENCODER);
        }
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    /**
     * @return the header for a client: {@code PROXY} over TCP4 or TCP6 (IPv4 written as IPv4-mapped IPv6
     *         when the other endpoint is IPv6), or {@code UNKNOWN}/{@code LOCAL} when an endpoint is not IP
     */
    public static HAProxyMessage message(ProxyProtocol version, ClientAddress client) {
        HAProxyProtocolVersion v = version == ProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        InetSocketAddress src = client.source();
        InetSocketAddress dst = client.destination();
        if (src == null || dst == null) {
            return v == HAProxyProtocolVersion.V1
                    ? new HAProxyMessage(v, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0)
                    : new HAProxyMessage(v, HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        boolean v4 = src.getAddress() instanceof Inet4Address && dst.getAddress() instanceof Inet4Address;
        return new HAProxyMessage(v, HAProxyCommand.PROXY, v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6,
                ip(src.getAddress(), v4), ip(dst.getAddress(), v4), src.getPort(), dst.getPort());
    }

    private static String ip(InetAddress a, boolean v4) {
        if (v4 || a instanceof Inet6Address) {
            return a.getHostAddress().replaceFirst("%.*$", ""); // no scope id on the wire
        }
        return "::ffff:" + a.getHostAddress();
    }
}
