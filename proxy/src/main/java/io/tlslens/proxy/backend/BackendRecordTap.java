package io.tlslens.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.HandshakeType;
import io.tlslens.inspector.wire.RecordListener;
import io.tlslens.proxy.conn.RecordTap;
import io.tlslens.proxy.conn.ServerFlightListener;

/**
 * Reads the backend leg's raw records ahead of the client SslHandler, without consuming them: on
 * the way in the backend's ServerHello, CertificateRequest (TLS ≤ 1.2), plaintext alerts and the
 * first bytes of a plaintext answer; on the way out our own ClientHello and alerts. Feeds
 * {@link BackendObservation} (the backend's flight too, so that a HelloRetryRequest and the resumption
 * outcome are counted on the backend leg as on the frontend); removed by {@link BackendOutcomeHandler}
 * once the handshake has completed.
 */
final class BackendRecordTap extends RecordTap {
    private final BackendObservation obs;

    /**
     * @param obs      the backend leg's observation
     * @param reporter counts the backend's HelloRetryRequest and the resumption outcome
     */
    BackendRecordTap(BackendObservation obs, BackendReporter reporter) {
        super(new ServerFlightListener(obs) {
            @Override
            public void onHandshakeMessage(int type, byte[] body) {
                if (type == HandshakeType.SERVER_HELLO) {
                    obs.serverHelloSeen = true;
                } else if (type == HandshakeType.CERTIFICATE_REQUEST) {
                    obs.certificateRequestSeen = true;
                }
                super.onHandshakeMessage(type, body);
            }

            @Override
            protected void helloRetryRequest(int group) {
                reporter.helloRetryRequest(group);
            }

            @Override
            protected void flightAdvanced() {
                reporter.resumption(obs);
            }

            @Override
            public void onAlert(Alert alert) {
                obs.alertReceived(alert);
            }

            @Override
            public void onNotTls(byte[] firstBytes) {
                obs.firstBytes = firstBytes;
            }
        }, new RecordListener() {
            @Override
            public void onClientHello(ClientHello hello) {
                if (obs.offered == null) {
                    obs.offered = hello;
                }
            }

            @Override
            public void onAlert(Alert alert) {
                obs.alertSent(alert);
            }
        });
        this.obs = obs;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            obs.peerBytes(buf.readableBytes());
            feed(inbound, buf);
        }
        ctx.fireChannelRead(msg);
    }
}
