package io.tlslens.proxy;

import com.typesafe.config.ConfigFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.tlslens.config.ConfigLoader;
import io.tlslens.config.LogFormat;
import io.tlslens.config.TlslensSettings;
import io.tlslens.inspector.compat.ClientHelloAggregate;
import io.tlslens.inspector.diagnosis.Diagnoser;
import io.tlslens.proxy.backend.BackendConnector;
import io.tlslens.proxy.conn.ListenerContext;
import io.tlslens.proxy.conn.RecordTap;
import io.tlslens.proxy.conn.Transport;
import io.tlslens.proxy.telemetry.FailureLog;
import io.tlslens.proxy.telemetry.OutcomeSink;
import io.tlslens.proxy.telemetry.ProxyMetrics;
import io.tlslens.proxy.terminate.TerminateInitializer;
import io.tlslens.proxy.tls.ServerTlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Application data pays nothing for inspection: once a terminated client's handshake is done, its record tap is out
 * of the pipeline (the SslHandler's completion event only travels towards the tail, so the tap ahead of it cannot
 * see it; the outcome handler behind it removes the tap). Checked on the real terminate pipeline, with a JDK client
 * whose connection is still open after an echo round trip.
 */
class TapRemovalIT {
    @TempDir
    Path dir;

    @Test
    void theRecordTapLeavesThePipelineOnceTheHandshakeIsDone() throws Exception {
        TestPki pki = new TestPki(dir);
        Path cert = pki.files("web", pki.leaf("localhost", "127.0.0.1"), pki.intermediate.cert());
        int port = ProxyHarness.freePort();
        try (EchoBackend echo = new EchoBackend()) {
            TlslensSettings settings = ConfigLoader.load(ConfigFactory.parseString("tlslens.listeners = ["
                    + ProxyHarness.listener("web", port, cert, echo.port(), "", "") + "]"), dir);
            ProxyMetrics metrics = new ProxyMetrics();
            ListenerContext listener = new ListenerContext(settings.listeners().get(0),
                    ServerTlsContexts.build(settings.listeners().get(0).tls(), "web"), new AtomicInteger(), metrics,
                    new OutcomeSink("web", "terminate", metrics, new FailureLog(100, LogFormat.JSON),
                            new ClientHelloAggregate(16, Map.of())));
            Transport transport = Transport.best();
            TerminateInitializer terminate = TerminateInitializer.create(listener, new Diagnoser(),
                    new BackendConnector(listener, transport, null, null));
            AtomicReference<Channel> accepted = new AtomicReference<>();
            EventLoopGroup group = transport.newGroup(1);
            try {
                Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                accepted.set(ch);
                                ch.pipeline().addLast(terminate);
                            }
                        }).bind("127.0.0.1", port).sync().channel();
                try (SSLSocket s = (SSLSocket) trusting(pki.dir.resolve("root.pem")).getSocketFactory()
                        .createSocket("127.0.0.1", port)) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    byte[] ping = "ping\n".getBytes(StandardCharsets.US_ASCII);
                    s.getOutputStream().write(ping);
                    s.getOutputStream().flush();
                    assertThat(s.getInputStream().readNBytes(ping.length)).isEqualTo(ping);

                    Channel ch = accepted.get();
                    CompletableFuture<List<String>> names = new CompletableFuture<>();
                    ch.eventLoop().execute(() -> names.complete(ch.pipeline().names()));
                    assertThat(ch.isActive()).isTrue();
                    assertThat(names.get(5, TimeUnit.SECONDS)).doesNotContain("tap").contains("relay");
                    CompletableFuture<Object> tap = new CompletableFuture<>();
                    ch.eventLoop().execute(() -> tap.complete(ch.pipeline().get(RecordTap.class)));
                    assertThat(tap.get(5, TimeUnit.SECONDS)).isNull();
                } finally {
                    server.close().sync();
                }
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
        }
    }

    private static SSLContext trusting(Path root) throws Exception {
        return TestPki.trusting(root);
    }
}
