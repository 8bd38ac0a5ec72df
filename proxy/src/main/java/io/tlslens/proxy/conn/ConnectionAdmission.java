package io.tlslens.proxy.conn;

import io.netty.channel.socket.SocketChannel;

/**
 * The first step of every listener's pipeline, whatever its mode: enforce {@code max-connections},
 * count the connection and keep {@code tlslens_connections_active} right, close it after
 * {@code idle-timeout} with no byte either way, and, with
 * {@code proxy-protocol = true}, put the PROXY header reader at the head of the pipeline.
 */
public final class ConnectionAdmission {
    private ConnectionAdmission() {
    }

    /**
     * @param ch       a just-accepted client channel
     * @param listener its listener
     * @return false when the listener is full: the channel is closed and the refusal counted
     */
    public static boolean admit(SocketChannel ch, ListenerContext listener) {
        if (listener.active().get() >= listener.settings().maxConnections()) {
            listener.metrics().connectionsRefused(listener.name(), "max_connections").increment();
            ch.close();
            return false;
        }
        listener.metrics().connections(listener.name()).increment();
        listener.active().incrementAndGet();
        ch.closeFuture().addListener(f -> listener.active().decrementAndGet());
        if (!listener.settings().idleTimeout().isZero()) {
            ch.pipeline().addLast("idle-timeout", new IdleTimeout(listener.settings().idleTimeout(), listener.outcomes()));
        }
        if (listener.settings().proxyProtocol()) {
            ProxyProtocolReader.install(ch.pipeline(), listener);
        }
        return true;
    }
}
