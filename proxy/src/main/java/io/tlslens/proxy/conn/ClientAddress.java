package io.tlslens.proxy.conn;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The real endpoints of a client connection: the socket's own addresses, or the ones a load balancer
 * in front announced in a PROXY protocol header ({@code listener.proxy-protocol = true}). Used for
 * {@code client_address} in logs and for the PROXY header sent to the backend.
 *
 * @param source      the client, as the client connected from it
 * @param destination the address the client connected to
 */
public record ClientAddress(InetSocketAddress source, InetSocketAddress destination) {
    /** Channel attribute set from an accepted PROXY protocol header. */
    public static final AttributeKey<ClientAddress> KEY = AttributeKey.valueOf("tlslens.clientAddress");

    /** @return the announced addresses of a client channel, else its socket's; components null when not IP */
    public static ClientAddress of(Channel ch) {
        ClientAddress announced = ch.attr(KEY).get();
        if (announced != null) {
            return announced;
        }
        return new ClientAddress(inet(ch.remoteAddress()), inet(ch.localAddress()));
    }

    /** @return the client as {@code ip:port}, IPv6 as {@code [ip]:port} in its compressed form; {@code unknown} when not IP */
    public String sourceText() {
        if (source == null) {
            return "unknown";
        }
        InetAddress a = source.getAddress();
        return a instanceof Inet6Address ? "[" + NetUtil.toAddressString(a) + "]:" + source.getPort()
                : a.getHostAddress() + ":" + source.getPort();
    }

    /**
     * @param ch a client channel
     * @return the IP address the client connected to (the name a client without SNI asked for), or null
     */
    public static String localHost(Channel ch) {
        InetSocketAddress local = inet(ch.localAddress());
        return local == null ? null : local.getAddress().getHostAddress();
    }

    private static InetSocketAddress inet(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : null;
    }
}
