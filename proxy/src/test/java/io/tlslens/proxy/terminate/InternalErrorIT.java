package io.tlslens.proxy.terminate;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.tlslens.config.ConfigLoader;
import io.tlslens.config.LogFormat;
import io.tlslens.config.TlslensSettings;
import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.diagnosis.Diagnoser;
import io.tlslens.proxy.LogCapture;
import io.tlslens.proxy.ProxyHarness;
import io.tlslens.proxy.TestPki;
import io.tlslens.proxy.backend.BackendConnector;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.Transport;
import io.tlslens.proxy.telemetry.FailureLog;
import io.tlslens.proxy.telemetry.OutcomeSink;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import io.tlslens.proxy.tls.ServerTlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * internal_error means tlslens itself failed, and only that: a handler of ours that throws mid-handshake
 * (planted here in the real terminate pipeline, with a real openssl client) is counted as internal_error
 * and logged with its stack trace.
 */
class InternalErrorIT {
    @TempDir
    Path dir;

    @Test
    void aHandlerThatThrowsIsAnInternalErrorWithItsStackTrace() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost", "127.0.0.1"), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        TlslensSettings settings = ConfigLoader.load(ConfigFactory.parseString("tlslens.listeners = ["
                + ProxyHarness.listener("boom", port, cert, ProxyHarness.freePort(), "", "") + "]"), dir);
        ProxyMetrics metrics = new ProxyMetrics();
        FailureLog log = new FailureLog(100, LogFormat.JSON);
        ListenerContext listener = new ListenerContext(settings.listeners().get(0),
                ServerTlsContexts.build(settings.listeners().get(0).tls(), "boom"), new AtomicInteger(), metrics,
                new OutcomeSink("boom", "terminate", metrics, log, new ClientHelloAggregate(16, Map.of())));
        Transport transport = Transport.best();
        TerminateInitializer terminate = TerminateInitializer.create(listener, new Diagnoser(),
                new BackendConnector(listener, transport, null, null));
        EventLoopGroup group = transport.newGroup(1);
        try (LogCapture failures = new LogCapture(FailureLog.LOGGER)) {
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(terminate);
                            ch.pipeline().addLast(new ChannelInitializer<SocketChannel>() { // after terminate's handlers
                                @Override
                                protected void initChannel(SocketChannel c) {
                                    c.pipeline().addBefore("outcome", "deliberately-failing", new Failing());
                                }
                            });
                        }
                    }).bind("127.0.0.1", port).sync().channel();
            try {
                var r = ProxyHarness.run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                        "-servername", "localhost"), "Q\n");
                ProxyHarness.await(() -> !failures.withCause("internal_error").isEmpty(), "an internal_error line");
                JsonNode e = failures.withCause("internal_error").get(0);
                assertThat(e.path("stack_trace").asText()).contains("IllegalStateException: deliberate failure")
                        .contains(Failing.class.getName());
                assertThat(e.path("hints").toString()).contains("stack trace");
                assertThat(metrics.scrape()).containsPattern(
                        "tlslens_handshake_failures_total\\{[^}]*cause=\"internal_error\"[^}]*listener=\"boom\"[^}]*} 1.0");
                assertThat(r.exit()).isNotNull();
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** Throws where tlslens' own code runs: on the engine's handshake completion event. */
    private static final class Failing extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                throw new IllegalStateException("deliberate failure");
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
