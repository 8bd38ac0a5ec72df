package io.tlslens.proxy.conn;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Transport#connect} registers the new channel from a task of its event loop, never inside the turn that
 * asked for it (on epoll, that turn may be the handling of a batch of events holding a closed socket's stale ones).
 */
class TransportConnectTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());

    @AfterEach
    void tearDown() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }

    @Test
    void aConnectIsMadeFromALaterTaskOfTheLoop() throws Exception {
        LocalAddress address = new LocalAddress("outside-io-" + System.nanoTime());
        Channel server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(address).sync().channel();
        AtomicBoolean created = new AtomicBoolean();
        Bootstrap b = new Bootstrap().channel(LocalChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                created.set(true);
            }
        });
        EventLoop loop = group.next();
        CompletableFuture<Boolean> createdWithinTheCall = new CompletableFuture<>();
        CompletableFuture<Future<Channel>> connect = new CompletableFuture<>();
        loop.execute(() -> {
            connect.complete(Transport.connect(loop, b, address));
            createdWithinTheCall.complete(created.get());
        });
        assertThat(createdWithinTheCall.get(5, TimeUnit.SECONDS)).isFalse();
        Channel ch = connect.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(created).isTrue();
        assertThat(ch.isActive()).isTrue();
        assertThat(ch.eventLoop()).isSameAs(loop);
        ch.close().sync();
        server.close().sync();
    }

    @Test
    void aFailedConnectFailsTheFuture() throws Exception {
        Bootstrap b = new Bootstrap().channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter());
        Future<Channel> f = Transport.connect(group.next(), b, new LocalAddress("nobody-listens-" + System.nanoTime()));
        assertThat(f.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(f.isSuccess()).isFalse();
        assertThat(f.cause()).isNotNull();
    }
}
