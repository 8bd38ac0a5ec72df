package io.tlslens.proxy;

import io.netty.channel.socket.SocketChannel;

/**
 * The first step of every listener's pipeline, whatever its mode: enforce {@code max-connections},
 * count the connection and keep {@code proxy_connections_active} right, and, with
 * {@code proxy-protocol = true}, put the PROXY header reader at the head of the pipeline.
 */
final class ConnectionAdmission {
    private ConnectionAdmission() {
    }

    /**
     * @param ch       a just-accepted client channel
     * @param listener its listener
     * @param metrics  metrics
     * @return false when the listener is full: the channel is closed and the refusal counted
     */
    static boolean admit(SocketChannel ch, ListenerContext listener, ProxyMetrics metrics) {
        if (listener.active().get() >= listener.settings().maxConnections()) {
            metrics.connectionsRefused(listener.name(), "max_connections").increment();
            ch.close();
            return false;
        }
        metrics.connections(listener.name()).increment();
        listener.active().incrementAndGet();
        ch.closeFuture().addListener(f -> listener.active().decrementAndGet());
        if (listener.settings().proxyProtocol()) {
            ProxyProtocolReader.install(ch.pipeline(), listener, metrics);
        }
        return true;
    }
}
