package io.tlslens.proxy.backend;

import io.netty.channel.Channel;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.Transport;
import io.tlslens.proxy.tls.BackendTlsContext;
import io.tlslens.proxy.tls.OcspChecker;

/**
 * Connects a terminate or originate listener's client to the listener's one backend: plain TCP, or
 * with {@code backend.tls} the backend TLS leg (record tap, client SslHandler, outcome handler), whose
 * success joins the relays.
 */
public final class BackendConnector {
    private final ListenerContext listener;
    private final BackendDialer dialer;
    private final BackendTlsContext tls;
    private final BackendReporter reporter;
    private final OcspChecker ocsp;

    /**
     * @param listener  the listener
     * @param transport socket transport
     * @param tls       the backend TLS context, or null for plain TCP to the backend
     * @param probe     learns what a backend accepts when it refused our ClientHello; null to skip
     */
    public BackendConnector(ListenerContext listener, Transport transport, BackendTlsContext tls, BackendProbe probe) {
        this.listener = listener;
        this.dialer = new BackendDialer(listener, transport);
        this.tls = tls;
        this.reporter = tls == null ? null : new BackendReporter(listener, tls, probe);
        this.ocsp = tls != null && tls.ocsp() ? new OcspChecker() : null;
    }

    /**
     * Connects the listener's backend for this client.
     *
     * @param frontend  the client channel; its relay queues data until the backend is joined
     * @param clientHello the client's ClientHello (its {@code server_name} may choose the backend SNI), or null
     */
    public void connect(Channel frontend, ClientHello clientHello) {
        if (tls == null) {
            dialer.dial(frontend, listener.settings().backend(), clientHello, ch -> { }, ch -> BackendDialer.join(frontend, ch));
            return;
        }
        String serverName = tls.serverName(clientHello == null ? null : clientHello.serverName());
        dialer.dial(frontend, listener.settings().backend(), clientHello, ch -> {
            BackendObservation obs = new BackendObservation(serverName);
            ch.pipeline().addLast("backend-tap", new BackendRecordTap(obs, reporter));
            ch.pipeline().addLast("backend-tls", tls.newHandler(ch.alloc(), serverName));
            ch.pipeline().addLast("backend-outcome", new BackendOutcomeHandler(obs, reporter, frontend,
                    listener.settings().handshakeTimeout(), ocsp));
        }, ch -> { });
    }
}
