package io.tlslens.proxy.passthrough;

import io.netty.channel.Channel;
import io.tlslens.config.BackendSettings;
import io.tlslens.proxy.backend.BackendDialer;

/**
 * Connects the backend {@link SniRouter} chose for a passthrough client, once the ClientHello is complete
 * (it waits, queued in the client's relay). The backend channel gets a {@link BackendCloseWatcher} ahead
 * of its relay; a connect failure is published by the dialer (leg {@code backend}) and is this
 * connection's one outcome.
 */
final class PassthroughConnector {
    private final BackendDialer dialer;

    /** @param dialer dials backends for this listener */
    PassthroughConnector(BackendDialer dialer) {
        this.dialer = dialer;
    }

    /**
     * @param frontend the client channel (with a {@link PassthroughObservation} and a relay)
     * @param backend  where to connect
     */
    void connect(Channel frontend, BackendSettings backend) {
        PassthroughObservation obs = PassthroughObservation.of(frontend);
        dialer.dial(frontend, backend, obs.client.last(), ch -> {
            obs.backendChannel = ch;
            ch.pipeline().addLast("close-watcher", new BackendCloseWatcher(obs));
        }, ch -> BackendDialer.join(frontend, ch)).addListener(done -> {
            if (!done.isSuccess()) {
                obs.publishOnce(); // the connect failure was this connection's outcome
            }
        });
    }
}
