package io.tlslens.proxy.conn;

import io.netty.channel.Channel;
import io.tlslens.config.ListenerSettings;
import io.tlslens.inspector.diagnosis.Leg;
import io.tlslens.proxy.telemetry.ConnectionInfo;
import io.tlslens.proxy.telemetry.OutcomeSink;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import io.tlslens.proxy.tls.ServerTlsContexts;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a listener's per-connection handlers share: its settings, TLS contexts, live counters and
 * the sink its outcomes go to.
 *
 * @param settings the listener's settings
 * @param tls      its server TLS contexts (terminate mode), else null
 * @param active   open client connections
 * @param metrics  the process's metrics (byte and connection counters)
 * @param outcomes where every handshake outcome of this listener is published
 */
public record ListenerContext(ListenerSettings settings, ServerTlsContexts tls, AtomicInteger active,
                              ProxyMetrics metrics, OutcomeSink outcomes) {
    /** @return the listener's name (metric label) */
    public String name() {
        return settings.name();
    }

    /** @return the mode label: {@code terminate}, {@code passthrough} or {@code originate} */
    public String mode() {
        return settings.mode().label();
    }

    /** @return the listener's default backend address */
    public InetSocketAddress backendAddress() {
        return settings.backend().address().toSocketAddress();
    }

    /**
     * @param client  the client channel (its id and address name the connection on both legs)
     * @param leg     the leg being reported
     * @param backend the backend {@code host:port} text, or {@code none}
     * @return the connection's identity for a log line
     */
    public ConnectionInfo connection(Channel client, Leg leg, String backend) {
        return new ConnectionInfo(name(), leg.label(), mode(), client.id().asShortText(),
                ClientAddress.of(client).sourceText(), backend);
    }
}
