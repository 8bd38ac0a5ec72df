package io.tlslens.proxy.terminate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.tlslens.inspector.diagnosis.Ending;
import io.tlslens.inspector.diagnosis.FirstBytes;
import io.tlslens.inspector.diagnosis.HandshakeFacts;
import io.tlslens.inspector.wire.Alert;
import io.tlslens.inspector.wire.ClientHello;
import io.tlslens.inspector.wire.ContentType;
import io.tlslens.proxy.conn.ClientFlight;
import io.tlslens.proxy.conn.RecordTap;
import io.tlslens.proxy.conn.ServerFlightListener;

import java.nio.charset.StandardCharsets;

/**
 * Reads the client's raw TLS records ahead of the SslHandler without consuming them, and the
 * records we send back on the way out. Feeds {@link FrontendObservation}: the ClientHello (even
 * split across records and reads), plaintext alerts both ways, whether our server flight went out,
 * and the first bytes of a non-TLS client. Three decisions are taken here, before the engine sees
 * the bytes: a non-TLS client is closed at once; a ClientHello whose ALPN list shares nothing with the
 * listener's {@code tls.alpn} is answered with a fatal {@code no_application_protocol} alert (RFC 7301
 * §3.2; BoringSSL under netty-tcnative would carry on without ALPN); and a ClientHello without
 * {@code server_name} on a listener that requires SNI with a fatal {@code missing_extension} alert
 * (RFC 8446 §9.2).
 * Removed by {@link FrontendOutcomeHandler} once the handshake has completed, so application data pays nothing.
 */
final class FrontendRecordTap extends RecordTap {
    /** What a plain HTTP client gets before the close, like nginx's "plain HTTP request was sent to HTTPS port". */
    private static final byte[] USE_HTTPS = httpAnswer();

    private final FrontendObservation obs;
    private final boolean requireSni;
    private final boolean plaintextHttpAnswer;
    private final FrontendReporter reporter;
    private boolean rejected;

    /**
     * @param obs        the connection's observation
     * @param requireSni whether the listener requires {@code server_name}
     * @param plaintextHttpAnswer whether a plain HTTP request gets an HTTP 400 naming https:// before the close
     * @param reporter   where an immediate failure (not TLS, ALPN mismatch, SNI missing) is reported
     */
    FrontendRecordTap(FrontendObservation obs, boolean requireSni, boolean plaintextHttpAnswer, FrontendReporter reporter) {
        super(obs.client.listener(new ClientFlight.Hooks() {
            @Override
            public void firstHello(ClientHello hello) {
                reporter.clientHello(hello);
            }

            @Override
            public void alert(Alert alert) {
                obs.alertReceived(alert);
            }

            @Override
            public void malformed(long offset, String reason) {
                if (obs.malformed == null) {
                    obs.malformed = new HandshakeFacts.Malformed(offset, reason);
                }
            }
        }), new ServerFlightListener(obs) {
            @Override
            public void onHandshakeMessage(int type, byte[] body) {
                obs.serverFlightSent = true;
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
            public void onRecord(int contentType, int version, int length) {
                if (contentType == ContentType.HANDSHAKE) {
                    obs.serverFlightSent = true;
                }
            }

            @Override
            public void onAlert(Alert alert) {
                obs.alertSent(alert);
            }
        });
        this.obs = obs;
        this.requireSni = requireSni;
        this.plaintextHttpAnswer = plaintextHttpAnswer;
        this.reporter = reporter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            obs.peerBytes(buf.readableBytes());
            boolean hadHello = obs.client.hello() != null;
            feed(inbound, buf);
            updatePartial();
            if (obs.client.firstBytes() != null) {
                reject(ctx, msg, Ending.REJECTED_BY_PROXY, null);
                return;
            }
            if (!hadHello && obs.client.hello() != null && reporter.alpnMismatch(obs.client.hello())) {
                reject(ctx, msg, Ending.REJECTED_BY_PROXY, Alert.fatal(Alert.NO_APPLICATION_PROTOCOL));
                return;
            }
            if (!hadHello && obs.client.hello() != null && requireSni && obs.client.hello().serverName() == null) {
                reject(ctx, msg, Ending.REJECTED_BY_PROXY, Alert.fatal(Alert.MISSING_EXTENSION));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void updatePartial() {
        obs.partialRecord = RecordTap.partial(inbound, obs.client.hello() != null);
    }

    private void reject(ChannelHandlerContext ctx, Object msg, Ending ending, Alert alert) {
        rejected = true;
        ReferenceCountUtil.release(msg);
        if (alert != null) {
            obs.alertSent(alert);
        }
        reporter.fail(ctx.channel(), ending);
        if (alert == null && plaintextHttpAnswer && FirstBytes.isHttp(obs.client.firstBytes())) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(USE_HTTPS)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (alert == null) {
            ctx.close();
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(alert.plaintextRecord())).addListener(ChannelFutureListener.CLOSE);
    }

    private static byte[] httpAnswer() {
        String body = "400 Bad Request: this port speaks TLS. The plain HTTP request was sent to an HTTPS port: use https://\n";
        return ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
