package io.tlslens.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The ceiling of tlslens' stack for bench/load: one epoll event loop, a BoringSSL SslHandler and a byte relay to
 * the backend (connected after the handshake, on the same loop), nothing else. No inspection, no metrics, no
 * session tickets or cache.
 * Usage: {@code BareRelay BIND_PORT BACKEND_PORT CERT_PEM KEY_PEM} (both on 127.0.0.1).
 */
public final class BareRelay {
    public static void main(String[] args) throws Exception {
        // no resumption: no TLS 1.3 tickets, no session cache (read by Netty's OpenSSL classes when they load)
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
        System.setProperty("io.netty.handler.ssl.openssl.sessionCacheServer", "false");
        SslContext tls = SslContextBuilder.forServer(new File(args[2]), new File(args[3]))
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3").build();
        InetSocketAddress backend = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Relay(backend));
                    }
                }).bind("127.0.0.1", Integer.parseInt(args[0])).sync();
        System.out.println("bare relay ready on 127.0.0.1:" + args[0]);
    }

    /** One direction: what this channel reads goes to the peer; reads wait in {@code pending} until it exists. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress backend;
        private final ArrayDeque<Object> pending = new ArrayDeque<>();
        private Channel peer;

        Relay(InetSocketAddress backend) {
            this.backend = backend;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess() && backend != null) {
                Channel front = ctx.channel();
                Relay back = new Relay(null);
                new Bootstrap().group(front.eventLoop()).channel(EpollSocketChannel.class)
                        .option(ChannelOption.TCP_NODELAY, true).handler(back)
                        .connect(backend).addListener((ChannelFutureListener) f -> {
                            if (!f.isSuccess()) {
                                front.close();
                                return;
                            }
                            back.peer = front;
                            peer = f.channel();
                            for (Object m; (m = pending.poll()) != null; ) {
                                peer.write(m);
                            }
                            peer.flush();
                            if (!front.isActive()) {
                                closeOnFlush(peer);
                            }
                        });
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (peer == null) {
                pending.add(msg);
                return;
            }
            peer.writeAndFlush(msg, peer.voidPromise());
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false); // backpressure, as in tlslens' relay
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && peer != null) {
                peer.config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pending.forEach(ReferenceCountUtil::release);
            pending.clear();
            if (peer != null) {
                closeOnFlush(peer);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static void closeOnFlush(Channel ch) {
            if (ch.isActive()) {
                ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
