package io.tlslens.proxy;

import io.tlslens.config.ListenerSettings;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a listener's per-connection handlers share: its settings, TLS contexts and live counters.
 *
 * @param settings the listener's settings
 * @param tls      its server TLS contexts (terminate mode)
 * @param active   open client connections
 */
record ListenerContext(ListenerSettings settings, ServerTlsContexts tls, AtomicInteger active) {
    String name() {
        return settings.name();
    }

    String mode() {
        return settings.mode().label();
    }

    InetSocketAddress backendAddress() {
        return settings.backend().address().toSocketAddress();
    }
}
