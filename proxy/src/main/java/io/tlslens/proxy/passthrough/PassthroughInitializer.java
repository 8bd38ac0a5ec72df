package io.tlslens.proxy.passthrough;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.tlslens.proxy.backend.BackendDialer;
import io.tlslens.proxy.backend.BackendProbe;
import io.tlslens.proxy.conn.ConnectionAdmission;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.Observation;
import io.tlslens.proxy.conn.RelayHandler;
import io.tlslens.proxy.conn.Transport;

/**
 * The pipeline of one passthrough client connection (TLS end to end, nothing decrypted):
 * <pre>
 *   PassthroughTap   client records in, backend records out → PassthroughObservation; routes by SNI
 *                    once the ClientHello is complete; removes itself when data flowed both ways
 *   RelayHandler     bytes unchanged → backend (queued until the backend is connected)
 * </pre>
 * The backend channel: {@link BackendCloseWatcher}, then its {@link RelayHandler} back to the client.
 */
public final class PassthroughInitializer extends ChannelInitializer<SocketChannel> {
    private final ListenerContext listener;
    private final PassthroughReporter reporter;
    private final PassthroughConnector connector;
    private final SniRouter router;

    private PassthroughInitializer(ListenerContext listener, PassthroughReporter reporter,
                                   PassthroughConnector connector) {
        this.listener = listener;
        this.reporter = reporter;
        this.connector = connector;
        this.router = new SniRouter(listener.settings());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!ConnectionAdmission.admit(ch, listener)) {
            return;
        }
        PassthroughObservation obs = new PassthroughObservation();
        ch.attr(Observation.KEY).set(obs);
        ch.pipeline().addLast("tap", new PassthroughTap(obs, router, connector, reporter,
                listener.settings().handshakeTimeout()));
        ch.pipeline().addLast("relay", new RelayHandler(listener.metrics().bytes(listener.name(), "client_to_backend")));
    }

    /**
     * Builds the reporter, connector and initializer of one passthrough listener.
     *
     * @param listener  the passthrough listener
     * @param transport the socket transport
     * @param probe     the backend probe (TLS 1.3 chains, what a backend accepts)
     * @return the initializer of the listener's client channels
     */
    public static PassthroughInitializer create(ListenerContext listener, Transport transport, BackendProbe probe) {
        return new PassthroughInitializer(listener, new PassthroughReporter(listener, probe),
                new PassthroughConnector(new BackendDialer(listener, transport)));
    }
}
