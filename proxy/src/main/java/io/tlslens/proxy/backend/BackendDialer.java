package io.tlslens.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.tlslens.config.BackendSettings;
import io.tlslens.inspector.diagnosis.Cause;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.ProxyProtocolWriter;
import io.tlslens.proxy.conn.RelayHandler;
import io.tlslens.proxy.conn.Transport;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Opens the TCP connection to a backend for one client, in every mode: on the client channel's own
 * event loop, with half-close allowed and Nagle off, the PROXY protocol header first when configured,
 * then the leg's own handlers and the relay back to the client. What the client sends meanwhile is
 * queued by its {@link RelayHandler} (which stops reading past 64 KiB) until the two relays are joined.
 * A connect failure is classified ({@code backend_connect_refused} / {@code _timeout} /
 * {@code backend_unreachable}), published on leg {@code backend}, and the client is closed.
 */
public final class BackendDialer {
    /** The client's relay, on the backend channel: it holds the client's queued bytes until the join. */
    private static final AttributeKey<RelayHandler> FRONT_RELAY = AttributeKey.valueOf("tlslens.front-relay");
    private final ListenerContext listener;
    private final Transport transport;

    /**
     * @param listener  the listener the clients came to
     * @param transport the socket transport (epoll or NIO)
     */
    public BackendDialer(ListenerContext listener, Transport transport) {
        this.listener = listener;
        this.transport = transport;
    }

    /**
     * Opens the backend connection for a client, from a task of the client's event loop
     * ({@link Transport#connect}).
     *
     * @param frontend the client channel, with a {@link RelayHandler} in its pipeline
     * @param backend  where to connect
     * @param hello    the client's ClientHello for a failure's log line, or null
     * @param legHandlers adds the backend leg's handlers (TLS, taps) ahead of the relay; may do nothing
     * @param connected runs on the event loop with the connected backend channel; for plain TCP pass
     *                  {@link #join}, a TLS leg joins once its handshake succeeded
     * @return completes with the connected backend channel, or fails with the connect's error, which was
     *         already published
     */
    public Future<Channel> dial(Channel frontend, BackendSettings backend, ClientHello hello,
                                Consumer<Channel> legHandlers, Consumer<Channel> connected) {
        long start = System.nanoTime();
        RelayHandler frontRelay = frontend.pipeline().get(RelayHandler.class);
        frontRelay.awaitPeer();
        Bootstrap b = new Bootstrap()
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) backend.connectTimeout().toMillis())
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ProxyProtocolWriter.install(ch.pipeline(), backend.proxyProtocol(), frontend);
                        legHandlers.accept(ch);
                        ch.pipeline().addLast("relay", new RelayHandler(
                                listener.metrics().bytes(listener.name(), "backend_to_client")));
                    }
                });
        b.attr(FRONT_RELAY, frontRelay);
        Future<Channel> f = Transport.connect(frontend.eventLoop(), b, backend.address().toSocketAddress());
        f.addListener(done -> {
            if (done.isSuccess()) {
                connected.accept(f.getNow());
                return;
            }
            listener.outcomes().backendConnectFailed(
                    listener.connection(frontend, Leg.BACKEND, backend.address().toString()),
                    classify(done.cause()), done.cause(), backend.connectTimeout(),
                    (System.nanoTime() - start) / 1_000_000, hello);
            frontRelay.abandon();
            RelayHandler.closeOnFlush(frontend);
        });
        return f;
    }

    /**
     * Joins the two relays (the client's queued bytes go to the backend). Runs on the shared event loop.
     *
     * @param frontend the client channel
     * @param backend  the connected (and, for a TLS leg, handshaken) backend channel
     */
    public static void join(Channel frontend, Channel backend) {
        RelayHandler back = backend.pipeline().get(RelayHandler.class);
        if (back == null) {
            abandon(frontend, backend); // the backend closed meanwhile
            return;
        }
        back.attach(frontend);
        backend.attr(FRONT_RELAY).get().attach(backend); // even if the client closed meanwhile: its bytes still go
    }

    /**
     * The backend will not be joined (its handshake failed): the client's queued bytes are dropped and the
     * client is closed.
     *
     * @param frontend the client channel
     * @param backend  the backend channel that was dialed for it
     */
    public static void abandon(Channel frontend, Channel backend) {
        RelayHandler relay = backend.attr(FRONT_RELAY).get();
        if (relay != null) {
            relay.abandon();
        }
        RelayHandler.closeOnFlush(frontend);
    }

    /**
     * @param error the connect failure
     * @return backend_connect_timeout, backend_connect_refused or backend_unreachable
     */
    static Cause classify(Throwable error) {
        if (error instanceof ConnectTimeoutException) {
            return Cause.BACKEND_CONNECT_TIMEOUT;
        }
        if (error instanceof NoRouteToHostException || error instanceof UnknownHostException
                || error instanceof UnresolvedAddressException) {
            return Cause.BACKEND_UNREACHABLE;
        }
        if (error instanceof ConnectException) {
            String m = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("unreachable") || m.contains("no route") ? Cause.BACKEND_UNREACHABLE
                    : Cause.BACKEND_CONNECT_REFUSED;
        }
        return Cause.BACKEND_UNREACHABLE;
    }
}
